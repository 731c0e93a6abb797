//go:build tools

// Package tools pins the Node.js language host. Its own module (sdk/nodejs/cmd/...) is not served
// by the Go module proxy, so this builds the last release that shipped it inside sdk/v3.
package tools

import _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"

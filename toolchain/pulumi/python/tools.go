//go:build tools

// Package tools pins the Python language host. Its own module (sdk/python/cmd/...) is not served
// by the Go module proxy, so this builds the last release that shipped it inside sdk/v3.
package tools

import _ "github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python"

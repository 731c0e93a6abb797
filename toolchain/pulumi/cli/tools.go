//go:build tools

// Package tools pins the Pulumi CLI's main package, so that `go mod tidy` keeps its requirements
// and `go build` of it resolves against this module's go.sum.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"

//go:build tools

// Package tools pins the Pulumi YAML language host. pulumi-yaml v1.37.0 wants pkg/v3 v3.247.0,
// which the proxy does not serve, and does not build against v3.248.0; v1.36.0 builds on v3.245.0.
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"

//go:build tools

// Package tools pins a second, older Pulumi CLI used only to run policy packs. The CLI of the
// pinned version starts a Node.js policy pack through the language host's RunPlugin, which the
// only Node.js host the proxy serves (sdk/v3 v3.68.0) does not implement; v3.166.0 is a served CLI
// that still starts it through the pulumi-analyzer-policy script (from v3.171.0 the CLI uses RunPlugin).
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"

#!/usr/bin/env node
// Marks the package's bins executable after a build. npm does so when it installs the package,
// but in a checkout the bins are built after `npm ci`, so `npx pulumi-migration-tasks` would
// find them without the executable bit.
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const { bin } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
for (const file of Object.values(bin)) fs.chmodSync(path.join(root, file), 0o755);

#!/usr/bin/env node
// Installs the vendors' official Python SDKs (tests/official-sdk/requirements.txt, every version
// pinned) into a project-local virtual environment, .toolchain/python-sdks, for the official-SDK
// tests. An environment already installed from the same requirements is reused as it is.
const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const requirements = path.join(root, "tests", "official-sdk", "requirements.txt");
const venv = path.join(root, ".toolchain", "python-sdks");
const stamp = path.join(venv, "requirements.sha256");
const python = path.join(venv, process.platform === "win32" ? "Scripts/python.exe" : "bin/python");

const digest = crypto.createHash("sha256").update(fs.readFileSync(requirements)).digest("hex");
if (fs.existsSync(python) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8").trim() === digest) {
  console.log(`sdks:install: ${path.relative(root, venv)} is current (requirements ${digest.slice(0, 12)})`);
  process.exit(0);
}

function run(cmd, args) {
  const res = spawnSync(cmd, args, { stdio: "inherit" });
  if (res.error) throw new Error(`${cmd}: ${res.error.message}`);
  if (res.status !== 0) {
    console.error(`sdks:install: ${cmd} ${args.join(" ")} exited with ${res.status}`);
    process.exit(res.status ?? 1);
  }
}

// A half-built environment (an interrupted install) is rebuilt from scratch, never patched.
fs.rmSync(venv, { recursive: true, force: true });
fs.mkdirSync(path.dirname(venv), { recursive: true });
run(process.env.PYTHON ?? "python3", ["-m", "venv", venv]);
run(python, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-q", "-r", requirements]);
fs.writeFileSync(stamp, `${digest}\n`);
console.log(`sdks:install: installed ${path.relative(root, venv)} (requirements ${digest.slice(0, 12)})`);

#!/usr/bin/env node
// `npm run pulumi:install`: builds the Pulumi CLI and its language hosts from their Go modules
// into .toolchain/pulumi/bin, for the tests and the demo. No Pulumi release binary is downloaded:
// each component is a small wrapper module in toolchain/pulumi/<name> whose go.mod and go.sum pin
// exactly what is built. A build is reused while those pins, the build flags and the companion
// files are unchanged; a copy is also kept in the user's cache folder, so a fresh clone on a
// machine that built once takes seconds. The last line printed is the bin folder's absolute path.
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const modules = path.join(root, "toolchain", "pulumi");
const bin = path.join(root, ".toolchain", "pulumi", "bin");
const cacheRoot = path.join(
  process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"),
  "pulumi-migration-tasks",
  "pulumi-toolchain",
);

const cliVersion = requiredVersion("cli", "github.com/pulumi/pulumi/pkg/v3");
const policyCliVersion = requiredVersion("policy-cli", "github.com/pulumi/pulumi/pkg/v3");
const LDFLAGS_VERSION = "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=";

/** What is built: the wrapper module, the main package, the output name, extra ldflags. */
const components = [
  {
    dir: "cli",
    pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    out: "pulumi",
    ldflags: `${LDFLAGS_VERSION}${cliVersion}`,
    label: `pulumi CLI ${cliVersion}`,
  },
  {
    dir: "nodejs",
    pkg: "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs",
    out: "pulumi-language-nodejs",
    ldflags: "",
    label: `Node.js language host (sdk ${requiredVersion("nodejs", "github.com/pulumi/pulumi/sdk/v3")})`,
  },
  {
    dir: "python",
    pkg: "github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python",
    out: "pulumi-language-python",
    ldflags: "",
    label: `Python language host (sdk ${requiredVersion("python", "github.com/pulumi/pulumi/sdk/v3")})`,
  },
  {
    // Used only for `pulumi preview --policy-pack` (see toolchain/pulumi/policy-cli/tools.go).
    dir: "policy-cli",
    pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    out: "policy/pulumi",
    ldflags: `${LDFLAGS_VERSION}${policyCliVersion}`,
    label: `pulumi CLI ${policyCliVersion} for policy packs`,
  },
  {
    dir: "yaml",
    pkg: "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml",
    out: "pulumi-language-yaml",
    ldflags: "",
    label: `YAML language host (pulumi-yaml ${requiredVersion("yaml", "github.com/pulumi/pulumi-yaml")})`,
  },
];
const BUILD_FLAGS = ["-trimpath", "-tags", "osusergo,grpcnotrace"];

function log(msg) {
  console.log(`pulumi:install: ${msg}`);
}

function fail(msg) {
  console.error(`pulumi:install: ${msg}`);
  process.exit(1);
}

/** The version a wrapper module's go.mod requires of a module. */
function requiredVersion(dir, mod) {
  const gomod = fs.readFileSync(path.join(modules, dir, "go.mod"), "utf8");
  const m = new RegExp(`^\\s*(?:require\\s+)?${mod.replace(/[./]/g, "\\$&")}\\s+(v\\S+)`, "m").exec(gomod);
  if (!m) fail(`toolchain/pulumi/${dir}/go.mod does not require ${mod}`);
  return m[1];
}

/** The shim the engine runs for dynamic providers ships in the @pulumi/pulumi npm package. */
function nodejsShim() {
  let pkg;
  try {
    pkg = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [root] }));
  } catch {
    fail("@pulumi/pulumi is not installed: run npm ci first");
  }
  return path.join(pkg, "pulumi-resource-pulumi-nodejs");
}

function stamp(shim) {
  const h = crypto.createHash("sha256");
  h.update(
    JSON.stringify({
      components,
      BUILD_FLAGS,
      go: goVersion(),
      platform: `${process.platform}-${process.arch}`,
    }),
  );
  for (const c of components) {
    for (const f of ["go.mod", "go.sum"]) h.update(fs.readFileSync(path.join(modules, c.dir, f)));
  }
  h.update(fs.readFileSync(shim));
  return h.digest("hex").slice(0, 16);
}

/** `go` from PATH, else the standard install location (a CI shell may not have it on PATH). */
function findGo() {
  if (process.env.GO) return process.env.GO;
  if (spawnSync("go", ["version"], { stdio: "ignore" }).status === 0) return "go";
  const standard = "/usr/local/go/bin/go";
  return fs.existsSync(standard) ? standard : "go";
}
const GO = findGo();

function goVersion() {
  const r = spawnSync(GO, ["env", "GOVERSION"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    fail(
      "the Go toolchain is needed to build the Pulumi CLI (go not found on PATH); install Go 1.25 or later",
    );
  }
  return r.stdout.trim();
}

const goEnv = {
  ...process.env,
  CGO_ENABLED: "0",
  GOFLAGS: "-mod=readonly -buildvcs=false",
  GOTOOLCHAIN: process.env.GOTOOLCHAIN || "local",
};

/** Runs a go command in a wrapper module, printing a line every 30 s so a long build shows life. */
function go(dir, args, what) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(GO, args, {
      cwd: path.join(modules, dir),
      env: goEnv,
      stdio: ["ignore", "inherit", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const tick = setInterval(
      () => log(`  still ${what} (${Math.round((Date.now() - started) / 1000)} s)`),
      30_000,
    );
    child.on("error", (e) => {
      clearInterval(tick);
      reject(e);
    });
    child.on("close", (code) => {
      clearInterval(tick);
      if (code === 0) resolve(Math.round((Date.now() - started) / 1000));
      else reject(new Error(`go ${args.join(" ")} (in toolchain/pulumi/${dir}) failed:\n${stderr.trim()}`));
    });
  });
}

function goList(dir, args) {
  const r = spawnSync(GO, ["list", ...args], {
    cwd: path.join(modules, dir),
    env: goEnv,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`go list ${args.join(" ")} failed: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

function executable(f) {
  try {
    fs.accessSync(f, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const companions = [
  "pulumi-language-python-exec",
  "pulumi-resource-pulumi-nodejs",
  "policy/pulumi-analyzer-policy",
  // The policy CLI finds its plugins beside itself, as a release lays them out.
  "policy/pulumi-language-nodejs",
  "policy/pulumi-resource-pulumi-nodejs",
];
const expected = () => [...components.map((c) => c.out), ...companions];

function complete(dir, id) {
  try {
    return (
      fs.readFileSync(path.join(dir, ".stamp"), "utf8").trim() === id &&
      expected().every((f) => executable(path.join(dir, f)))
    );
  } catch {
    return false;
  }
}

function copyInto(from, to) {
  const tmp = `${to}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  for (const f of [...expected(), ".stamp"]) {
    fs.mkdirSync(path.dirname(path.join(tmp, f)), { recursive: true });
    fs.copyFileSync(path.join(from, f), path.join(tmp, f));
    if (f !== ".stamp") fs.chmodSync(path.join(tmp, f), 0o755);
  }
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.renameSync(tmp, to);
}

async function build(id, shim) {
  const staging = path.join(path.dirname(bin), `bin.building-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  log(
    `building ${components.length} components with ${goVersion()}; a cold build downloads modules and takes several minutes`,
  );
  for (const c of components) {
    // go build fetches what the module cache lacks; `go mod download` would also ask the proxy for
    // .info files, which it refuses for some of these versions while serving their code.
    log(`building the ${c.label} (fetching its modules first on a cold machine)`);
    const ldflags = ["-s", "-w", c.ldflags].filter(Boolean).join(" ");
    fs.mkdirSync(path.dirname(path.join(staging, c.out)), { recursive: true });
    const secs = await go(
      c.dir,
      ["build", ...BUILD_FLAGS, "-ldflags", ldflags, "-o", path.join(staging, c.out), c.pkg],
      `building the ${c.label}`,
    );
    log(`  built ${c.out} in ${secs} s`);
  }
  // The Python host refuses to start unless its exec script sits beside it; the Go module cache
  // drops exec bits, hence the explicit mode.
  const sdkDir = goList("python", ["-m", "-f", "{{.Dir}}", "github.com/pulumi/pulumi/sdk/v3"]);
  fs.copyFileSync(
    path.join(sdkDir, "python", "cmd", "pulumi-language-python-exec"),
    path.join(staging, "pulumi-language-python-exec"),
  );
  fs.copyFileSync(shim, path.join(staging, "pulumi-resource-pulumi-nodejs"));
  const policySdkDir = goList("policy-cli", ["-m", "-f", "{{.Dir}}", "github.com/pulumi/pulumi/sdk/v3"]);
  fs.copyFileSync(
    path.join(policySdkDir, "nodejs", "dist", "pulumi-analyzer-policy"),
    path.join(staging, "policy", "pulumi-analyzer-policy"),
  );
  for (const f of ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
    fs.copyFileSync(path.join(staging, f), path.join(staging, "policy", f));
  }
  for (const f of companions) fs.chmodSync(path.join(staging, f), 0o755);
  fs.writeFileSync(path.join(staging, ".stamp"), `${id}\n`);
  const version = spawnSync(path.join(staging, "pulumi"), ["version"], { encoding: "utf8" }).stdout.trim();
  if (version !== cliVersion) fail(`the built pulumi reports version '${version}', expected ${cliVersion}`);
  return staging;
}

async function main() {
  const shim = nodejsShim();
  const sdkVersion = JSON.parse(
    fs.readFileSync(path.join(path.dirname(shim), "package.json"), "utf8"),
  ).version;
  if (`v${sdkVersion}` !== cliVersion) {
    log(
      `note: @pulumi/pulumi ${sdkVersion} is installed; the CLI pinned in toolchain/pulumi/cli is ${cliVersion}`,
    );
  }
  const id = stamp(shim);
  const cached = path.join(cacheRoot, id);
  if (complete(bin, id)) {
    log(`pulumi ${cliVersion} and its language hosts are already built (${id}); reusing them`);
  } else if (complete(cached, id)) {
    log(`reusing the build ${id} of pulumi ${cliVersion} from the cache folder`);
    copyInto(cached, bin);
  } else {
    const staging = await build(id, shim);
    try {
      copyInto(staging, cached);
    } catch (e) {
      log(`note: could not keep a copy in the cache folder (${e.message})`);
    }
    copyInto(staging, bin);
    fs.rmSync(staging, { recursive: true, force: true });
    log(`pulumi ${cliVersion} built`);
  }
  console.log(bin);
}

main().catch((e) => fail(e instanceof Error ? e.message : String(e)));

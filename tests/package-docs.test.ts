/**
 * The documentation stands on its own: the READMEs and the project's notes ship with the package,
 * every relative link in them reaches a file that ships too, and no file of the repository cites
 * a document outside it.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { emulatorEnv } from "../emulator";

const root = path.join(__dirname, "..");

/** Paths `npm pack` would put in the package. */
function packed(): Set<string> {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  return new Set((JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path));
}

const files = packed();
const markdown = [...files].filter((f) => f.endsWith(".md"));

test("the READMEs and the notes in docs/ ship with the package", () => {
  expect(markdown).toEqual(
    expect.arrayContaining([
      "README.md",
      "emulator/README.md",
      "harness/README.md",
      "docs/README.md",
      "docs/huawei-sms.md",
      "docs/huawei-dcs.md",
      "docs/alibaba-mse.md",
      "docs/signing.md",
      "docs/pulumi-dynamic.md",
    ]),
  );
});

// The root README is also the repository's front page: its links into examples/ are for readers
// of the repository, so they need only exist there.
test.each(markdown)("every relative link of %s reaches a shipped file", (md) => {
  // Code is not prose: a regular expression in backticks (`[a-z]([a-z-]*)`) is not a link.
  const text = fs
    .readFileSync(path.join(root, md), "utf8")
    .replace(/```[\s\S]*?```/g, "")
    .replace(/`[^`\n]*`/g, "");
  const broken = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
    .map((m) => m[1])
    .filter((href) => !/^[a-z]+:/.test(href))
    .map((href) => path.posix.normalize(path.posix.join(path.posix.dirname(md), href)).replace(/\/$/, ""))
    .filter((target) => !files.has(target) && ![...files].some((f) => f.startsWith(`${target}/`)))
    .filter((target) => md !== "README.md" || !fs.existsSync(path.join(root, target)));
  expect(broken).toEqual([]);
});

test("no file of the repository cites a document outside it", () => {
  const tracked = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" })
    .split("\n")
    .filter((f) => /\.(ts|js|md|py|json|ya?ml)$/.test(f) && !f.endsWith("package-lock.json"));
  const out: string[] = [];
  for (const f of tracked) {
    if (!fs.existsSync(path.join(root, f))) continue;
    const text = fs.readFileSync(path.join(root, f), "utf8");
    // Written in parts so that this test does not find itself.
    for (const needle of [
      "api-surface" + ".md",
      "shared/" + "reference",
      "pulumi-dynamic" + ".md §",
      "seed " + "00",
    ])
      if (text.includes(needle)) out.push(`${f}: ${needle}`);
  }
  expect(out).toEqual([]);
});

test("the READMEs name every variable --print-env prints", () => {
  const names = Object.keys(emulatorEnv("http://127.0.0.1:1"));
  for (const md of ["README.md", "emulator/README.md"]) {
    const text = fs.readFileSync(path.join(root, md), "utf8");
    expect({ md, missing: names.filter((n) => !text.includes(n)) }).toEqual({ md, missing: [] });
  }
});

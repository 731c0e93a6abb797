/** The API reference in docs/api is what `npm run docs:api` writes from the package schema. */
import * as fs from "node:fs";
import * as path from "node:path";
import { apiDocs } from "../scripts/api-docs";

const dir = path.join(__dirname, "..", "docs", "api");

describe("docs/api", () => {
  const pages = apiDocs();

  it("holds exactly the generated pages, up to date (run `npm run docs:api` after a schema change)", () => {
    expect(fs.readdirSync(dir).sort()).toEqual(Object.keys(pages).sort());
    for (const [name, text] of Object.entries(pages)) {
      expect([name, fs.readFileSync(path.join(dir, name), "utf8")]).toEqual([name, text]);
    }
  });

  it("documents every resource's inputs, secrets and replacements", () => {
    const sms = pages["huaweicloud-sms.md"];
    expect(sms).toContain("`migration-tasks:huaweicloud/sms:MigrationTask`");
    expect(sms).toMatch(/\| `sourceServerId` \| string \| yes \| replaces \|/);
    expect(sms).toMatch(/\| `passphrase` \| string \| secret \|/);
    expect(pages["huaweicloud-dcs.md"]).toMatch(/\| `targetPassword` \| string \| {2}\| secret \|/);
    expect(pages["README.md"]).toMatch(/\| `huaweicloudSecretKey` \| string \| {2}\| secret \|/);
  });
});

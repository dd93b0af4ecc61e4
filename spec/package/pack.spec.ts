// The published package works as a user installs it: scripts/pack-test.js builds a copy, packs
// it, installs the tarball offline into a fresh project, runs every entry point from ESM and
// CommonJS (with and without the optional peer fast-check), type-checks TypeScript consumers
// (CommonJS, and an ES module under nodenext using fast-check), runs the ES one, and installs a
// git clone as a folder. Slow (several tsc runs): one spec, run once.

import { execFile } from "node:child_process";
import { join } from "node:path";
import { expect } from "chai";

describe("the packed package", function () {
  this.timeout(420_000);

  it("installs offline and works from ESM, CommonJS and TypeScript, every entry point, and from a git clone", async () => {
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(process.execPath, [join(__dirname, "../../scripts/pack-test.js")], { encoding: "utf8", timeout: 400_000, maxBuffer: 16 * 1024 * 1024 }, (error, out, err) =>
        resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout: out + err }),
      );
    });
    expect(stdout, stdout).to.include("pack-test: the packed package works from ESM, CommonJS and TypeScript, and from a git clone");
    expect(code).to.equal(0);
    const checks = ["npm pack", "run nopeer.mjs", "run nopeer.cjs", "run esm.mjs", "run cjs.cjs", "ESM and CommonJS load the same API", "type-check a CommonJS TypeScript consumer", "type-check and run an ES module TypeScript consumer", "npm i <git clone>"];
    for (const check of checks) {
      expect(stdout).to.match(new RegExp(`^ok   ${check.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m"));
    }
  });
});

// wakeful runs in a browser: scripts/browser-bundle.js bundles a "spawn, sleep, race" program
// importing the main entry point (no Node API may leak into it), runs it in headless Chromium,
// and reports the bundle's size; this spec checks the program's output and a size budget.
// The browser is found by scripts/chromium.ts (WAKEFUL_SKIP_BROWSER=1 skips the run in it).

import { execFile } from "node:child_process";
import { join } from "node:path";
import { expect } from "chai";
import { browserSkipped } from "../../scripts/chromium";

interface BundleReport {
  bytes: number;
  gzip: number;
  output: string[];
  hasProcess: boolean;
}

function bundleReport(...args: string[]): Promise<BundleReport> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(__dirname, "../../scripts/browser-bundle.js"), "--json", ...args], { encoding: "utf8", timeout: 90_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`browser-bundle.js failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout.trim().split("\n").pop() as string) as BundleReport);
    });
  });
}

describe("wakeful in a browser", function () {
  this.timeout(120_000);

  it("runs a spawn, sleep and race program in headless Chromium: the loser is cancelled, the child finishes", async function () {
    const skipped = browserSkipped();
    if (skipped !== undefined) {
      console.log(`    (browser test skipped: ${skipped})`);
      this.skip();
    }
    const r = await bundleReport();
    expect(r.hasProcess, "the page must be a plain browser page, without Node's process").to.equal(false);
    expect(r.output).to.deep.equal(["the slow racer was cancelled", "race won by fast", "child slept 30 ms"]);
  });

  it("bundles to under 14 kB min+gzip (tree-shaken: sync primitives and other combinators stay out)", async () => {
    const r = await bundleReport("--size-only");
    expect(r.gzip).to.be.greaterThan(1000);
    expect(r.gzip, `${r.gzip} B min+gzip`).to.be.below(14 * 1024);
  });
});

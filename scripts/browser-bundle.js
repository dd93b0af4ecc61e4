// wakeful in a browser: bundle a small "spawn, sleep, race" program importing wakeful's main
// entry point with esbuild (minified, for the browser), report its size minified and gzipped,
// and run it in headless Chromium (found by scripts/chromium.ts: WAKEFUL_CHROMIUM, or the one
// inside @sparticuz/chromium; WAKEFUL_SKIP_BROWSER=1 skips the run), printing what the program
// logged. The program has the shape used to compare bundle sizes with peers (docs/PERFORMANCE.md).
//
//   node scripts/browser-bundle.js              size, then run it in Chromium
//   node scripts/browser-bundle.js --size-only  size only (npm run bundle-size)
//   node scripts/browser-bundle.js --json       one JSON line: { bytes, gzip, output }
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const { buildSync } = require("esbuild");

const root = path.join(__dirname, "..");
const sizeOnly = process.argv.includes("--size-only");
const json = process.argv.includes("--json");
require("./register.js");
const { browserSkipped, launchChromium } = require("./chromium.ts");

/** The program: a child task sleeps while the main task races two sleepers; everything is logged. */
const PROGRAM = `
import { run, spawn, sleep, race } from "./lib/index";

const log = [];
run(function* () {
  const child = spawn(function* () {
    yield* sleep(30);
    return "child slept 30 ms";
  });
  const winner = yield* race(
    function* () { yield* sleep(10); return "fast"; },
    function* () { try { yield* sleep(1000); return "slow"; } finally { log.push("the slow racer was cancelled"); } },
  );
  log.push("race won by " + winner);
  log.push(yield* child);
  return log;
}).then(
  (lines) => { globalThis.__wakeful = { ok: true, lines }; console.log(lines.join("\\n")); },
  (error) => { globalThis.__wakeful = { ok: false, lines: [String(error && error.stack || error)] }; },
);
`;

/** Bundle the program: minified, browser platform, one IIFE. */
function bundle() {
  const out = buildSync({
    stdin: { contents: PROGRAM, resolveDir: root, sourcefile: "browser-program.js", loader: "js" },
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const code = out.outputFiles[0].text;
  return { code, bytes: Buffer.byteLength(code), gzip: zlib.gzipSync(code, { level: 9 }).length };
}

/** Run the bundle in headless Chromium; resolves with the lines the program logged. */
async function runInChromium(code) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.setContent("<!doctype html><title>wakeful</title>");
    await page.addScriptTag({ content: code });
    await page.waitForFunction(() => globalThis.__wakeful !== undefined, undefined, { timeout: 10_000 });
    const result = await page.evaluate(() => globalThis.__wakeful);
    const isNode = await page.evaluate(() => typeof globalThis.process !== "undefined");
    if (errors.length) throw new Error(`the page threw: ${errors.join("; ")}`);
    if (!result.ok) throw new Error(`the program failed in the browser: ${result.lines.join("\n")}`);
    return { lines: result.lines, userAgent: await page.evaluate(() => navigator.userAgent), hasProcess: isNode };
  } finally {
    await browser.close();
  }
}

async function main() {
  const b = bundle();
  const size = `wakeful "spawn, sleep, race" bundle: ${b.bytes.toLocaleString("en-US")} B minified, ${b.gzip.toLocaleString("en-US")} B min+gzip (esbuild, minify, gzip -9)`;
  if (sizeOnly) {
    console.log(json ? JSON.stringify({ bytes: b.bytes, gzip: b.gzip }) : size);
    return;
  }
  const skipped = browserSkipped();
  if (skipped !== undefined) {
    console.log(json ? JSON.stringify({ bytes: b.bytes, gzip: b.gzip, skipped }) : `${size}\n(not run in Chromium: ${skipped})`);
    return;
  }
  const r = await runInChromium(b.code);
  if (json) {
    console.log(JSON.stringify({ bytes: b.bytes, gzip: b.gzip, output: r.lines, hasProcess: r.hasProcess }));
    return;
  }
  console.log(size);
  console.log(`ran in ${r.userAgent.match(/(Headless)?Chrom(e|ium)\/[\d.]+/)?.[0] ?? "Chromium"}:`);
  for (const line of r.lines) console.log(`  ${line}`);
}

main().catch((error) => {
  console.error(error && error.message ? error.message : error);
  process.exit(1);
});

// `npm test`: every check runs, whatever the ones before it did, so one failure does not hide
// another (a failing spec used to stop the examples check from running); the run fails if any
// step failed, and the last line names which.
//
//   node scripts/test.js            typecheck, lint, api:check (the public surface), spec, examples
//   node scripts/test.js spec lint  only those steps, in the order given above
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");

const root = path.join(__dirname, "..");
const steps = ["typecheck", "lint", "api:check", "spec", "examples"];
const wanted = process.argv.slice(2);
for (const w of wanted) if (!steps.includes(w)) throw new Error(`unknown step ${w}: the steps are ${steps.join(", ")}`);

const results = [];
for (const name of steps.filter((s) => wanted.length === 0 || wanted.includes(s))) {
  const t0 = Date.now();
  console.log(`\n> npm run ${name}`);
  const r = spawnSync("npm", ["run", "--silent", name], { cwd: root, stdio: "inherit" });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: (Date.now() - t0) / 1000 });
}
const failed = results.filter((r) => !r.ok);
console.log(`\nnpm test: ${results.map((r) => `${r.name} ${r.ok ? "ok" : "FAILED"} (${r.seconds.toFixed(0)} s)`).join(", ")}`);
process.exit(failed.length === 0 ? 0 : 1);

// Runs the examples. Every `examples/**/*.ts` with a sibling `.out` file is an example; helper
// modules live in a `support/` folder. Modes:
//   --check   run each, compare its stdout with the .out beside it (npm test)
//   --demo    run each with a header saying what it shows (npm run demo)
//   --update  rewrite the .out files from the current output (when authoring an example)
// Extra arguments filter examples by substring of their path.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(__dirname, "..");
const args = process.argv.slice(2);
const mode = args.includes("--demo") ? "demo" : args.includes("--update") ? "update" : "check";
const filters = args.filter((a) => !a.startsWith("--"));

function findExamples(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "support" && name !== "node_modules") out.push(...findExamples(path));
    } else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) {
      out.push(path);
    }
  }
  return out;
}

/** The example's opening comment block, without the comment markers: what it shows. */
function summary(file: string): string[] {
  const lines: string[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.startsWith("//")) break;
    lines.push(line.replace(/^\/\/ ?/, ""));
  }
  return lines;
}

function runOne(file: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", file], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", WAKEFUL_EXAMPLE: "1" },
  });
  return { stdout: r.stdout ?? "", stderr: r.stderr ?? "", status: r.status };
}

const normalize = (s: string) => s.replace(/[ \t]+$/gm, "").replace(/\s+$/, "") + "\n";

const examples = findExamples(join(root, "examples")).filter(
  (f) => filters.length === 0 || filters.some((x) => relative(root, f).includes(x)),
);
let failed = 0;
let passed = 0;
for (const file of examples) {
  const rel = relative(root, file);
  const expectedFile = file.replace(/\.ts$/, ".out");
  if (mode !== "update" && !existsSync(expectedFile)) {
    console.error(`✗ ${rel}: no ${relative(root, expectedFile)} beside it (every example keeps its expected output)`);
    failed++;
    continue;
  }
  if (mode === "demo") {
    const bar = "─".repeat(78);
    console.log(`\n${bar}\n▶ ${rel}`);
    for (const line of summary(file)) console.log(`  ${line}`);
    console.log(bar);
  }
  const r = runOne(file);
  if (mode === "demo") {
    process.stdout.write(r.stdout);
    if (r.status !== 0) {
      process.stdout.write(r.stderr);
      failed++;
    } else passed++;
    continue;
  }
  if (r.status !== 0) {
    console.error(`✗ ${rel} exited with ${r.status}\n${r.stderr}`);
    failed++;
    continue;
  }
  if (mode === "update") {
    writeFileSync(expectedFile, normalize(r.stdout));
    console.log(`updated ${relative(root, expectedFile)}`);
    passed++;
    continue;
  }
  const expected = normalize(readFileSync(expectedFile, "utf8"));
  const actual = normalize(r.stdout);
  if (expected === actual) {
    passed++;
    console.log(`✓ ${rel}`);
  } else {
    failed++;
    console.error(`✗ ${rel}: output differs from ${relative(root, expectedFile)}`);
    const e = expected.split("\n");
    const a = actual.split("\n");
    for (let i = 0; i < Math.max(e.length, a.length); i++) {
      if (e[i] !== a[i]) {
        console.error(`  first difference at line ${i + 1}:\n    expected: ${JSON.stringify(e[i])}\n    actual:   ${JSON.stringify(a[i])}`);
        break;
      }
    }
  }
}
console.log(`\nexamples: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

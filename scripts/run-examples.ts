// Runs the examples. Every `examples/**/*.ts` with a sibling `.out` file is an example; helper
// modules live in a `support/` folder. Modes:
//   --check        run each, compare its stdout with the .out beside it (npm test)
//   --demo         run each; print what it shows (its header's first sentence) and the first
//                  lines of its output, a screenful in all (npm run demo)
//   --demo --full  run each in turn; print its whole header and its whole output
//   --update       rewrite the .out files from the current output (when authoring an example)
// Extra arguments filter examples by substring of their path (`npm run demo -- tutorial 05`).
// Examples run in parallel (one per core), the full demo one at a time; output comes in order,
// ending with the trace export (it writes files to look at) and a list of the HTML pages
// the examples wrote under build/.

import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(__dirname, "..");
const args = process.argv.slice(2);
const mode = args.includes("--demo") ? "demo" : args.includes("--update") ? "update" : "check";
const full = args.includes("--full");
/** Lines of each example's output that the short demo shows. */
const SHORT_LINES = 3;
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

/** The header's first sentence, without the example's own number or name in front. */
function firstSentence(about: string[]): string {
  const paragraph: string[] = [];
  for (const line of about) {
    if (line.trim() === "") break;
    paragraph.push(line.trim());
  }
  const text = paragraph.join(" ");
  const end = text.search(/\.(\s|$)/);
  const sentence = (end === -1 ? text : text.slice(0, end)).replace(/^(tutorial )?[\w-]+ · /, "");
  return sentence.length > 110 ? sentence.slice(0, 109) + "…" : sentence;
}

interface Outcome {
  stdout: string;
  stderr: string;
  status: number | null;
}

function runOne(file: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--enable-source-maps", "-r", "./scripts/register.js", file], {
      cwd: root,
      env: { ...process.env, WAKEFUL_EXAMPLE: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status });
    });
  });
}

const normalize = (s: string) => s.replace(/[ \t]+$/gm, "").replace(/\s+$/, "") + "\n";

const FINALE = "trace-export"; // the demo ends by writing a timeline and a trace to look at
const examples = findExamples(join(root, "examples"))
  .filter((f) => filters.length === 0 || filters.some((x) => relative(root, f).includes(x)))
  .sort((a, b) => Number(a.includes(FINALE)) - Number(b.includes(FINALE)) || (a < b ? -1 : a > b ? 1 : 0));

async function main(): Promise<void> {
  let failed = 0;
  let passed = 0;
  // Start every example up front, at most one per core at a time; report in order.
  const slots = Math.max(1, mode === "demo" && full ? 1 : availableParallelism());
  const results: Promise<Outcome>[] = [];
  let running = 0;
  const queue: (() => void)[] = [];
  const limited = (file: string) =>
    new Promise<Outcome>((resolve) => {
      const go = () => {
        running++;
        void runOne(file).then((r) => {
          running--;
          queue.shift()?.();
          resolve(r);
        });
      };
      if (running < slots) go();
      else queue.push(go);
    });
  for (const file of examples) results.push(limited(file));

  for (let i = 0; i < examples.length; i++) {
    const file = examples[i] as string;
    const rel = relative(root, file);
    const expectedFile = file.replace(/\.ts$/, ".out");
    const r = await (results[i] as Promise<Outcome>);
    if (mode !== "update" && !existsSync(expectedFile)) {
      console.error(`✗ ${rel}: no ${relative(root, expectedFile)} beside it (every example keeps its expected output)`);
      failed++;
      continue;
    }
    const about = summary(file);
    if (about.length === 0) {
      console.error(`✗ ${rel}: opens with no // comment saying what it shows (the demo prints it)`);
      failed++;
      continue;
    }
    if (mode === "demo" && !full) {
      const lines = r.stdout.split("\n").filter((l) => l.trim() !== "");
      console.log(`\n▶ ${rel}: ${firstSentence(about)}`);
      for (const line of lines.slice(0, SHORT_LINES)) console.log(`    ${line.length > 100 ? line.slice(0, 99) + "…" : line}`);
      if (lines.length > SHORT_LINES) console.log(`    … ${lines.length - SHORT_LINES} more line${lines.length - SHORT_LINES === 1 ? "" : "s"}`);
      if (r.status !== 0) {
        process.stdout.write(r.stderr);
        failed++;
      } else passed++;
      continue;
    }
    if (mode === "demo") {
      const bar = "─".repeat(78);
      console.log(`\n${bar}\n▶ ${rel}`);
      for (const line of about) console.log(`  ${line}`);
      console.log(bar);
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
      for (let k = 0; k < Math.max(e.length, a.length); k++) {
        if (e[k] !== a[k]) {
          console.error(`  first difference at line ${k + 1}:\n    expected: ${JSON.stringify(e[k])}\n    actual:   ${JSON.stringify(a[k])}`);
          break;
        }
      }
      if (r.stderr.trim() !== "") console.error(`  stderr:\n${r.stderr}`);
    }
  }
  if (mode === "demo" && !full) console.log(`\nThe whole of each: npm run demo -- --full [filter], e.g. npm run demo -- --full 06-lost`);
  if (mode === "demo") {
    // The pages the examples wrote: the tutorial's chapters (the machine move by move) and the export.
    const pages = ["tutorial", "trace-export"].flatMap((d) => {
      const dir = join(root, "build", d);
      return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".html")).sort().map((f) => `build/${d}/${f}`) : [];
    });
    if (pages.length > 0) {
      console.log("\nPages to open in a browser. Each replays its run move by move, with the machine (run queue,");
      console.log("parked tasks, timers) beside the lanes; add #move=N to the address to open one at move N:");
      for (const page of pages) console.log(`  ${page}`);
    }
  }
  console.log(`\nexamples: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

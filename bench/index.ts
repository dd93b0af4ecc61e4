// `npm run bench`: the benchmark orchestrator. It bundles one worker per implementation with
// esbuild (so a worker starts in milliseconds and every library runs as plain bundled JS), runs
// every (workload, implementation) job in a fresh `node --expose-gc` process several times,
// interleaving the rounds so background noise spreads over all rows, and reports medians per
// op, ratios, and the targets from the issues. Results also go to build/bench.json.
//
//   npm run bench -- [--quick] [--only W2,W3] [--impl wakeful,native] [--runs N] [--profile]
//   npm run bench -- --report build/bench.json     (print a saved run again, and its Markdown)

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { build, type Plugin } from "esbuild";
import { IMPL_LABEL, IMPLS, WORKLOADS, isMem, workload, type ImplId, type Job, type Measurement, type WorkloadId, type WorkloadSpec } from "./jobs";
import { formatHotSpots } from "./profile";

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "build", "bench");
const PROF = path.join(ROOT, "build", "prof");

/** Export name of each implementation in its bench/impl file. */
const ENTRY: Record<ImplId, { file: string; name: string }> = {
  raw: { file: "./impl/raw", name: "raw" },
  native: { file: "./impl/native", name: "native" },
  wakeful: { file: "./impl/wakeful", name: "wakeful" },
  "wakeful-local": { file: "./impl/wakeful", name: "wakefulLocal" },
  effection: { file: "./impl/effection", name: "effection" },
  effect: { file: "./impl/effect", name: "effect" },
  saga: { file: "./impl/saga", name: "saga" },
};

interface Options {
  quick: boolean;
  only: Set<string> | undefined;
  impls: Set<string> | undefined;
  runs: number | undefined;
  profile: boolean;
  timeoutMs: number;
  /** Print a saved build/bench.json again instead of running. */
  report: string | undefined;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { quick: false, only: undefined, impls: undefined, runs: undefined, profile: false, timeoutMs: 180_000, report: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new RangeError(`${a} needs a value`);
      return v;
    };
    if (a === "--quick") o.quick = true;
    else if (a === "--profile") o.profile = true;
    else if (a === "--only") o.only = new Set(value().split(",").map((s) => workload(s.trim()).id));
    else if (a === "--impl") {
      o.impls = new Set(value().split(","));
      for (const x of o.impls) if (!(IMPLS as readonly string[]).includes(x)) throw new RangeError(`unknown --impl ${x}: use ${IMPLS.join(", ")}`);
    } else if (a === "--runs") {
      o.runs = Number(value());
      if (!Number.isInteger(o.runs) || o.runs < 1) throw new RangeError(`--runs needs a whole number ≥ 1, not ${argv[i]}`);
    } else if (a === "--timeout") o.timeoutMs = 1000 * Number(value());
    else if (a === "--report") o.report = value();
    else if (a === "--help" || a === "-h") {
      console.log("npm run bench -- [--quick] [--only W1,W2,...] [--impl wakeful,native,...] [--runs N] [--profile] [--timeout s] [--report build/bench.json]");
      console.log(`workloads: ${WORKLOADS.map((w) => w.id).join(", ")}\nimplementations: ${IMPLS.join(", ")}`);
      process.exit(0);
    } else throw new RangeError(`unknown option ${a} (try --help)`);
  }
  return o;
}

/**
 * bench/impl/effect.ts imports "effect/dist/index.js" so that TypeScript (moduleResolution
 * node10, which ignores `exports`) finds Effect's types; at bundle time that is its root entry.
 */
const effectTypesPath: Plugin = {
  name: "effect-root",
  setup(b) {
    b.onResolve({ filter: /^effect\/dist\/index\.js$/ }, () => ({ path: path.join(ROOT, "node_modules", "effect", "dist", "index.js") }));
  },
};

/** One worker bundle per implementation, so a wakeful run never loads Effect's code. */
async function bundle(impls: Set<ImplId>): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await Promise.all(
    [...impls].map((impl) =>
      build({
        stdin: {
          contents: `import { runWorker } from "./worker";\nimport { ${ENTRY[impl].name} } from "${ENTRY[impl].file}";\nrunWorker(${ENTRY[impl].name});\n`,
          resolveDir: __dirname,
          sourcefile: `${impl}-entry.ts`,
          loader: "ts",
        },
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        outfile: path.join(OUT, `${impl}.js`),
        define: { "process.env.NODE_ENV": '"production"' },
        logLevel: "error",
        plugins: [effectTypesPath],
      }),
    ),
  );
}

interface Planned extends Job {
  runs: number;
  scaled: boolean;
}

function plan(o: Options): Planned[] {
  const jobs: Planned[] = [];
  for (const w of WORKLOADS) {
    if (o.only !== undefined && !o.only.has(w.id)) continue;
    for (const impl of IMPLS) {
      const cfg = w.impls[impl];
      if (cfg === undefined || (o.impls !== undefined && !o.impls.has(impl))) continue;
      const base = o.quick ? w.quick : w.full;
      const cap = cfg.cap === undefined ? Infinity : o.quick ? cfg.cap / 5 : cfg.cap;
      const size = Math.min(base, cap);
      const runs = o.runs ?? (o.quick ? 1 : (cfg.runs ?? 5));
      for (const variant of w.variants ?? [undefined]) {
        const job: Planned = { workload: w.id, impl, size, runs, scaled: size < w.full };
        if (variant !== undefined) job.variant = variant;
        jobs.push(job);
      }
    }
  }
  return jobs;
}

interface Sample {
  perOpNs: number;
  cpuPerOpNs?: number;
  bytesPerOp?: number;
  note?: string;
}

interface Row extends Planned {
  samples: Sample[];
  errors: string[];
  unavailable?: string;
}

function key(j: Job): string {
  return `${j.workload}|${j.impl}|${j.variant ?? ""}`;
}

function runJob(job: Planned, o: Options, round: number): Sample | { error: string; unavailable?: boolean } {
  const args = ["--expose-gc", path.join(OUT, `${job.impl}.js`)];
  const spec: Job & { profile?: string } = { workload: job.workload, impl: job.impl, size: job.size };
  if (job.variant !== undefined) spec.variant = job.variant;
  if (o.profile) {
    mkdirSync(PROF, { recursive: true });
    const name = `${job.workload}-${job.impl}${job.variant === undefined ? "" : "-" + job.variant.replace(/\W+/g, "_")}-r${round}.cpuprofile`;
    spec.profile = path.join(PROF, name);
  }
  args.push(JSON.stringify(spec));
  const r = spawnSync(process.execPath, args, {
    encoding: "utf8",
    timeout: o.timeoutMs,
    maxBuffer: 16 << 20,
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (r.error !== undefined) return { error: r.error.message.includes("ETIMEDOUT") ? `timed out after ${o.timeoutMs / 1000} s` : r.error.message };
  const line = r.stdout.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (line === undefined) {
    const err = (r.stderr || r.stdout || `exit ${r.status} ${r.signal ?? ""}`).trim();
    const un = /UNAVAILABLE: (.*)/.exec(err);
    if (un !== null) return { error: un[1] as string, unavailable: true };
    return { error: err.split("\n").slice(0, 6).join(" | ") };
  }
  const m = JSON.parse(line.slice("BENCH_RESULT ".length)) as Measurement;
  const want = workload(job.workload).expect(job.size);
  if (m.check !== want) return { error: `wrong result: checksum ${m.check}, expected ${want}` };
  const s: Sample = { perOpNs: (m.ms * 1e6) / m.ops };
  if (m.cpuMs !== undefined) s.cpuPerOpNs = (m.cpuMs * 1e6) / m.ops;
  if (m.bytesPerOp !== undefined) s.bytesPerOp = m.bytesPerOp;
  if (m.note !== undefined) s.note = m.note;
  return s;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 === 1 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
}

function fmtTime(ns: number): string {
  if (!Number.isFinite(ns)) return "—";
  if (ns < 1000) return `${ns.toFixed(ns < 10 ? 1 : 0)} ns`;
  if (ns < 1e6) return `${(ns / 1000).toFixed(ns < 1e4 ? 2 : ns < 1e5 ? 1 : 0)} µs`;
  return `${(ns / 1e6).toFixed(1)} ms`;
}

function fmtBytes(b: number): string {
  if (!Number.isFinite(b)) return "—";
  return b < 10_000 ? `${b.toFixed(0)} B` : `${(b / 1024).toFixed(1)} KiB`;
}

function fmtSize(n: number): string {
  return n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

function fmtRatio(x: number): string {
  if (!Number.isFinite(x)) return "—";
  return x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`;
}

function label(r: Row): string {
  const base = IMPL_LABEL[r.impl];
  return r.variant === undefined ? base : `${base} (${r.variant})`;
}

type Clock = "wall" | "cpu";

/** The metric a row is compared on: bytes for W4mem and W4fmem, wall (or CPU) time per op otherwise. */
function metric(r: Row | undefined, clock: Clock = "wall"): number {
  if (r === undefined || r.samples.length === 0) return NaN;
  if (isMem(r.workload)) return median(r.samples.map((s) => s.bytesPerOp ?? NaN));
  return median(r.samples.map((s) => (clock === "wall" ? s.perOpNs : (s.cpuPerOpNs ?? NaN))));
}

type Format = "text" | "md";

function table(allHeaders: string[], allRows: string[][], allRight: boolean[], format: Format): string {
  // Columns with nothing in them (no status to report) are left out.
  const keep = allHeaders.map((h, i) => h !== "" || allRows.some((r) => (r[i] ?? "") !== ""));
  const headers = allHeaders.filter((_, i) => keep[i]);
  const rows = allRows.map((r) => r.filter((_, i) => keep[i]));
  const right = allRight.filter((_, i) => keep[i]);
  if (format === "md") {
    const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
    return [line(headers), `|${right.map((r) => (r ? "---:" : "---")).join("|")}|`, ...rows.map(line)].join("\n");
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    "  " + cells.map((c, i) => (right[i] === true ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join("  ");
  return [line(headers), "  " + widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].map((l) => l.trimEnd()).join("\n");
}

function report(w: WorkloadSpec, rows: Row[], format: Format): string {
  const mem = isMem(w.id);
  const find = (impl: ImplId) => rows.find((r) => r.impl === impl && r.variant === undefined);
  // Rows that are variants of one implementation (TRACE) compare with the first variant instead.
  const base = w.variants !== undefined ? rows[0] : find("native");
  const native = metric(base);
  const raw = metric(find("raw"));
  const nativeCpu = metric(base, "cpu");
  const rawCpu = metric(find("raw"), "cpu");
  const both = (a: number, b: number) => (mem ? fmtRatio(a) : `${fmtRatio(a)} / ${fmtRatio(b)}`);
  const body = rows.map((r) => {
    const m = metric(r);
    const c = metric(r, "cpu");
    const spread = r.samples.length > 1 ? r.samples.map((s) => (mem ? (s.bytesPerOp ?? NaN) : s.perOpNs)) : [];
    const fmt = mem ? fmtBytes : fmtTime;
    const status = r.unavailable !== undefined ? `n/a: ${r.unavailable}` : r.samples.length === 0 ? `failed: ${r.errors[0] ?? "?"}` : r.errors.length > 0 ? `${r.errors.length} run(s) failed` : "";
    return [
      label(r),
      fmtSize(r.size) + (r.scaled ? "*" : ""),
      String(r.samples.length),
      fmt(m),
      spread.length > 0 ? `${fmt(Math.min(...spread))} – ${fmt(Math.max(...spread))}` : "",
      mem ? "" : fmtTime(c),
      both(m / native, c / nativeCpu),
      both(m / raw, c / rawCpu),
      status,
    ];
  });
  const what = `per ${w.unit}${mem ? " (heap bytes)" : ""}; target: ${w.target}`;
  const head = format === "md" ? `#### ${w.id} — ${w.title}\n\n${what[0]?.toUpperCase()}${what.slice(1)}.\n` : `${w.id}  ${w.title}\n  ${what}`;
  const notes = [...new Set(rows.flatMap((r) => r.samples.map((s) => s.note).filter((x): x is string => x !== undefined && x !== r.variant).map((n) => `${label(r)}: ${n}`)))];
  const vs = mem ? "" : " (wall / cpu)";
  const t = table(
    ["implementation", "size", "runs", mem ? "bytes/task" : "wall/op", "min – max", mem ? "" : "cpu/op", (w.variants !== undefined ? `vs ${w.variants[0]}` : "vs native") + vs, "vs raw" + vs, ""],
    body,
    [false, true, true, true, true, true, true, true, false],
    format,
  );
  return [head, t, ...(format === "md" && notes.length > 0 ? [""] : []), ...notes.map((n) => (format === "md" ? `- ${n}` : `  · ${n}`))].join("\n");
}

/**
 * Every workload in one table: wakeful per op (bytes for the heap rows), and its ratio to
 * native async/await and to raw generators, on CPU time and on wall time.
 */
function summary(all: Row[], format: Format): string | undefined {
  const body: string[][] = [];
  for (const w of WORKLOADS) {
    if (w.variants !== undefined) continue;
    const row = (impl: ImplId) => all.find((r) => r.workload === w.id && r.impl === impl && r.variant === undefined);
    const own = row("wakeful");
    if (own === undefined || own.samples.length === 0) continue;
    const mem = isMem(w.id);
    const cells: string[] = [w.id];
    for (const clock of (mem ? ["wall"] : ["cpu", "wall"]) as Clock[]) {
      const v = metric(own, clock);
      cells.push(mem ? fmtBytes(v) : fmtTime(v), fmtRatio(v / metric(row("native"), clock)), fmtRatio(v / metric(row("raw"), clock)));
    }
    if (mem) cells.push("", "", "");
    body.push(cells);
  }
  if (body.length === 0) return undefined;
  const head = "wakeful at a glance: per op, and ÷ native async/await, ÷ raw generators (heap rows: bytes per parked task)";
  const t = table(["workload", "cpu/op", "÷ native", "÷ raw", "wall/op", "÷ native", "÷ raw"], body, [false, true, true, true, true, true, true], format);
  return (format === "md" ? `#### ${head}\n\n` : `${head}\n`) + t;
}

interface Verdict {
  workload: WorkloadId;
  target: string;
  /** The measured ratio (or bytes) on wall time, and on CPU time. */
  value: number;
  cpu: number;
  limit: number;
  /** The limit for `cpu` when it differs from the wall-time one. */
  cpuLimit?: number;
  /** "max": value ≤ limit meets; "min": value ≥ limit meets. */
  kind: "max" | "min";
}

function verdicts(all: Row[]): Verdict[] {
  const m = (clock: Clock, w: WorkloadId, impl: ImplId, variant?: string) =>
    metric(all.find((r) => r.workload === w && r.impl === impl && r.variant === variant), clock);
  const out: Verdict[] = [];
  const add = (workload: WorkloadId, target: string, limit: number, kind: "max" | "min", f: (clock: Clock) => number) =>
    out.push({ workload, target, value: f("wall"), cpu: f("cpu"), limit, kind });
  const ratio = (w: WorkloadId, target: string, a: ImplId, b: ImplId, limit: number, kind: "max" | "min" = "max") =>
    add(w, target, limit, kind, (c) => m(c, w, a) / m(c, w, b));
  // Must: at or under async/await wherever a generator can be; spawning and a 20-deep yield*
  // chain are native generator work, so raw generators are their floor.
  ratio("W1", "must: wakeful ≤ 1.5× raw", "wakeful", "raw", 1.5);
  ratio("W2", "must: wakeful ≤ 1× native", "wakeful", "native", 1);
  ratio("W3", "must: wakeful ≤ 1× native (`await null`)", "wakeful", "native", 1);
  ratio("W4", "must: wakeful ≤ 1× native time", "wakeful", "native", 1);
  ratio("W4mem", "must: wakeful ≤ 0.62× native bytes", "wakeful", "native", 0.62);
  ratio("W5", "must: wakeful ≤ 1.2× raw", "wakeful", "raw", 1.2);
  ratio("W6", "must: wakeful ≤ 1× native", "wakeful", "native", 1);
  // Aim: the bar after this one.
  ratio("W1", "aim: wakeful ≤ 1.2× raw", "wakeful", "raw", 1.2);
  ratio("W2", "aim: wakeful ≤ 0.5× native", "wakeful", "native", 0.5);
  ratio("W3", "aim: wakeful ≤ 2× raw", "wakeful", "raw", 2);
  ratio("W4mem", "aim: wakeful ≤ 0.5× native bytes", "wakeful", "native", 0.5);
  ratio("W5", "aim: wakeful ≤ 1.1× raw", "wakeful", "raw", 1.1);
  ratio("W6", "aim: wakeful ≤ 0.5× native", "wakeful", "native", 0.5);
  for (const w of ["W1", "W2", "W3", "W4", "W4mem", "W5", "W6", "ALL10K"] as WorkloadId[]) {
    ratio(w, `≥ 10× better than Effection (Effection ÷ wakeful)`, "effection", "wakeful", 10, "min");
  }
  add("ALL100K", "all(): per-child time at 100k ÷ at 10k (near-linear ≈ 1)", 1.5, "max", (c) => m(c, "ALL100K", "wakeful") / m(c, "ALL10K", "wakeful"));
  // "Costs nothing measurable": trace: false lands within the run-to-run spread of no option.
  const baseline = all.find((r) => r.workload === "TRACE" && r.variant === "no option");
  if (baseline !== undefined && baseline.samples.length > 0) {
    const spread = (c: Clock) => Math.max(...baseline.samples.map((x) => (c === "wall" ? x.perOpNs : (x.cpuPerOpNs ?? NaN)))) / metric(baseline, c);
    out.push({
      workload: "TRACE",
      target: "trace: false ÷ no option, within the spread of no option's runs",
      value: m("wall", "TRACE", "wakeful", "trace: false") / m("wall", "TRACE", "wakeful", "no option"),
      cpu: m("cpu", "TRACE", "wakeful", "trace: false") / m("cpu", "TRACE", "wakeful", "no option"),
      limit: spread("wall"),
      cpuLimit: spread("cpu"),
      kind: "max",
    });
  }
  add("TRACE", "trace: () => {} ÷ no option (the price of a sink)", Infinity, "max", (c) => m(c, "TRACE", "wakeful", "trace: () => {}") / m(c, "TRACE", "wakeful", "no option"));
  return out.filter((v) => Number.isFinite(v.value));
}

function met(v: Verdict, clock: Clock): boolean | null {
  const value = clock === "wall" ? v.value : v.cpu;
  const limit = clock === "cpu" && v.cpuLimit !== undefined ? v.cpuLimit : v.limit;
  if (limit === Infinity || !Number.isFinite(value)) return null;
  return v.kind === "max" ? value <= limit : value >= limit;
}

/** Which code was measured: the commit, and how many files under lib/ differ from it (a shared checkout). */
function revision(): { commit: string; libFilesChanged: number } {
  const git = (...args: string[]) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" }).stdout?.trim() ?? "";
  const commit = git("rev-parse", "--short", "HEAD") || "unknown";
  const dirty = git("status", "--porcelain", "--", "lib");
  return { commit, libFilesChanged: dirty === "" ? 0 : dirty.split("\n").length };
}

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpu: `${cpus[0]?.model ?? "?"} × ${cpus.length}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
    platform: `${os.platform()} ${os.release()}`,
    loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/** What a report needs besides the rows: when, where, on which code. */
interface RunInfo {
  date: string;
  mode: "quick" | "full";
  revision: { commit: string; libFilesChanged: number };
  machine: ReturnType<typeof machine> & { loadavgBefore: number[] };
  seconds: number;
}

function render(all: Row[], info: RunInfo, format: Format): string {
  const m = info.machine;
  const rev = `commit ${info.revision.commit}${info.revision.libFilesChanged > 0 ? ` + ${info.revision.libFilesChanged} uncommitted file(s) under lib/` : ""}`;
  const out: string[] = [];
  const title = `wakeful benchmarks — ${info.mode === "quick" ? "QUICK (smoke sizes, 1 run: not for quoting)" : "full run"} — ${info.date.slice(0, 16).replace("T", " ")} UTC`;
  out.push(format === "md" ? `### ${title}\n` : `\n${title}`);
  out.push(`${format === "md" ? "" : "  "}node ${m.node}, ${m.cpu}, ${m.memory}; ${rev}; load average before ${m.loadavgBefore.join(" ")}, after ${m.loadavg.join(" ")}; ${info.seconds.toFixed(0)} s.`);
  out.push(`${format === "md" ? "" : "  "}Each row: median over fresh processes (warm-up at a tenth of the size, at least 10k ops, then gc, then the measured run). * = scaled down (peer too slow at full size); per-op figures stay comparable.\n`);
  for (const w of WORKLOADS) {
    const rs = all.filter((r) => r.workload === w.id);
    if (rs.length > 0) out.push(report(w, rs, format) + "\n");
  }
  const glance = summary(all, format);
  if (glance !== undefined) out.push(glance + "\n");
  const vs = verdicts(all);
  if (vs.length > 0) {
    const body = vs.map((v) => {
      const bytes = !v.target.includes("×") && isMem(v.workload);
      const fmt = (x: number) => (bytes ? fmtBytes(x) : fmtRatio(x));
      const word = (x: boolean | null) => (x === null ? "info" : x ? "met" : "NOT met");
      return [v.workload, v.target, fmt(v.value), word(met(v, "wall")), bytes ? "" : fmt(v.cpu), bytes ? "" : word(met(v, "cpu"))];
    });
    const head = "Targets, on wall time and on CPU time";
    out.push((format === "md" ? `#### ${head}\n\n` : `${head}\n`) + table(["workload", "target", "wall", "", "cpu", ""], body, [false, false, true, false, true, false], format));
  }
  return out.join("\n");
}

/** Rebuild the rows of a saved build/bench.json, to print it again (`--report file`). */
function load(file: string): { rows: Row[]; info: RunInfo } {
  const json = JSON.parse(readFileSync(file, "utf8")) as RunInfo & { rows: (Row & { unavailable?: string })[] };
  const rows = json.rows.map((r) => {
    const row: Row = { workload: r.workload, impl: r.impl, size: r.size, runs: r.samples.length, scaled: r.scaled, samples: r.samples, errors: r.errors };
    if (r.variant !== undefined && r.variant !== null) row.variant = r.variant;
    if (r.unavailable !== undefined && r.unavailable !== null) row.unavailable = r.unavailable;
    return row;
  });
  return { rows, info: { date: json.date, mode: json.mode, revision: json.revision, machine: json.machine, seconds: json.seconds } };
}

function publish(all: Row[], info: RunInfo, writeJson: boolean): void {
  console.log(render(all, info, "text"));
  mkdirSync(path.join(ROOT, "build"), { recursive: true });
  const md = path.join(ROOT, "build", "bench.md");
  writeFileSync(md, render(all, info, "md") + "\n");
  if (writeJson) {
    const json = {
      ...info,
      rows: all.map((r) => ({
        workload: r.workload,
        impl: r.impl,
        variant: r.variant,
        size: r.size,
        scaled: r.scaled,
        unit: workload(r.workload).unit,
        medianPerOpNs: isMem(r.workload) ? undefined : metric(r),
        medianCpuPerOpNs: isMem(r.workload) ? undefined : metric(r, "cpu"),
        medianBytesPerTask: isMem(r.workload) ? metric(r) : undefined,
        samples: r.samples,
        errors: r.errors,
        unavailable: r.unavailable,
      })),
      targets: verdicts(all).map((v) => ({ ...v, met: met(v, "wall"), metOnCpu: met(v, "cpu") })),
    };
    writeFileSync(path.join(ROOT, "build", "bench.json"), JSON.stringify(json, null, 2) + "\n");
    console.log(`\nwrote build/bench.json and build/bench.md (the tables as Markdown, for docs/PERFORMANCE.md)`);
  } else console.log(`\nwrote build/bench.md`);
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.report !== undefined) {
    const { rows, info } = load(o.report);
    publish(rows, info, false);
    return;
  }
  const jobs = plan(o);
  if (jobs.length === 0) throw new Error("no job matches the options");
  const impls = new Set(jobs.map((j) => j.impl));
  await bundle(impls);
  if (o.profile) rmSync(PROF, { recursive: true, force: true });

  const before = machine();
  const rev = revision();
  const started = Date.now();
  const rows = new Map<string, Row>();
  for (const j of jobs) rows.set(key(j), { ...j, samples: [], errors: [] });
  const rounds = Math.max(...jobs.map((j) => j.runs));
  const total = jobs.reduce((s, j) => s + j.runs, 0);
  let done = 0;
  console.error(`wakeful bench: ${jobs.length} jobs, ${total} processes, ${o.quick ? "quick" : "full"} sizes; node ${process.version}, ${before.cpu}, load ${before.loadavg.join(" ")}`);
  // Rounds outermost: every row gets one run before any row gets its second.
  for (let round = 0; round < rounds; round++) {
    for (const j of jobs) {
      const row = rows.get(key(j)) as Row;
      if (round >= j.runs || row.unavailable !== undefined) continue;
      const t0 = Date.now();
      const r = runJob(j, o, round);
      done++;
      if ("error" in r) {
        if (r.unavailable === true) row.unavailable = r.error;
        else row.errors.push(r.error);
      } else row.samples.push(r);
      const what = "error" in r ? `✗ ${r.error}` : r.bytesPerOp !== undefined ? fmtBytes(r.bytesPerOp) : `${fmtTime(r.perOpNs)}/op`;
      console.error(`  [${done}/${total}] ${j.workload} ${label(row)} ${fmtSize(j.size)}: ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
  }

  const info: RunInfo = {
    date: new Date(started).toISOString(),
    mode: o.quick ? "quick" : "full",
    revision: rev,
    machine: { ...machine(), loadavgBefore: before.loadavg },
    seconds: (Date.now() - started) / 1000,
  };
  publish([...rows.values()], info, true);

  if (o.profile) {
    console.log("\nCPU profiles (self time, top functions):");
    for (const f of readdirSync(PROF).filter((x) => x.endsWith(".cpuprofile") && x.includes("-wakeful"))) {
      console.log("\n" + formatHotSpots(path.join(PROF, f), 15));
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

// The benchmark matrix: which workloads exist, their sizes, what one "op" is, and the target
// each is held to. Shared by the orchestrator (bench/index.ts) and the worker processes
// (bench/worker.ts), so a job is plain data that crosses the process boundary as JSON.

/** The implementations, in the order the tables show them. */
export const IMPLS = ["raw", "native", "wakeful", "wakeful-local", "effection", "effect", "saga"] as const;
export type ImplId = (typeof IMPLS)[number];

export const IMPL_LABEL: Record<ImplId, string> = {
  raw: "raw generators",
  native: "native async/await",
  wakeful: "wakeful",
  "wakeful-local": "wakeful, bench-local channel",
  effection: "Effection 4.1.1",
  effect: "Effect 4.1.0",
  saga: "redux-saga 1.5.1",
};

export type WorkloadId = "W1" | "W1f" | "W2" | "W3" | "W4" | "W4f" | "W4mem" | "W4fmem" | "W5" | "W6" | "MUTEX" | "ALL10K" | "ALL100K" | "TRACE";

/** One process's work: run `workload` with `impl` at `size` (and `variant`, for the tracing rows). */
export interface Job {
  workload: WorkloadId;
  impl: ImplId;
  size: number;
  variant?: string;
}

/** What a worker reports for one job. */
export interface Measurement {
  /** Wall time of the measured run, ms. */
  ms: number;
  /**
   * CPU time (user + system, all threads: GC helpers included) of the measured pass, ms. Less
   * disturbed than wall time on a shared machine, where a process waits for a core.
   */
  cpuMs?: number;
  /** Ops done in it (the unit is the workload's `unit`). */
  ops: number;
  /** W4mem: heap bytes per parked task (heapUsed delta after gc, divided by the tasks parked). */
  bytesPerOp?: number;
  /** A checksum the orchestrator compares with the workload's expected value. */
  check: number;
  /** Anything the reader should know (which channel was used, a substitution). */
  note?: string;
}

export interface WorkloadSpec {
  id: WorkloadId;
  title: string;
  /** What one op is, for "per op" columns. */
  unit: string;
  /** Full size, and the size used with --quick. */
  full: number;
  quick: number;
  /** Implementations that run it, with an optional cap for peers too slow at full size. */
  impls: Partial<Record<ImplId, { cap?: number; runs?: number }>>;
  /** Variants (TRACE only): one row each, all wakeful. */
  variants?: string[];
  /** The checksum a correct run of size n reports. */
  expect(n: number): number;
  /** The targets from the issues, in words. */
  target: string;
}

const sumTo = (n: number): number => (n * (n - 1)) / 2;

/** Ping-pong, fan-in, mutex: the workloads that only make sense with a channel or lock. */
export const TASKS_W3 = 1000;
export const TASKS_MUTEX = 1000;
export const PRODUCERS_W6 = 100;
export const DEPTH_W5 = 20;
export const CAPACITY_W6 = 64;

export const WORKLOADS: WorkloadSpec[] = [
  {
    id: "W1",
    title: "spawn + join 100k tasks",
    unit: "task",
    full: 100_000,
    quick: 20_000,
    impls: { raw: {}, native: {}, wakeful: {}, effection: { cap: 5_000, runs: 3 }, effect: { cap: 100_000, runs: 3 }, saga: { cap: 20_000, runs: 3 } },
    expect: sumTo,
    target: "wakeful ≤ 1.5× raw",
  },
  {
    id: "W1f",
    title: "W1 with a fresh generator (or async) function per task, as users often write it",
    unit: "task",
    full: 100_000,
    quick: 20_000,
    impls: { raw: {}, native: {}, wakeful: {}, effection: { cap: 5_000, runs: 3 }, effect: { cap: 100_000, runs: 3 }, saga: { cap: 20_000, runs: 3 } },
    expect: sumTo,
    target: "report only: what a closure per task costs each system",
  },
  {
    id: "W2",
    title: "ping-pong, 200k round trips over capacity-1 channels",
    unit: "round trip",
    full: 200_000,
    quick: 20_000,
    impls: { raw: {}, native: {}, wakeful: {}, "wakeful-local": {}, effection: { cap: 50_000, runs: 3 }, effect: { cap: 50_000, runs: 3 }, saga: { cap: 20_000, runs: 3 } },
    expect: sumTo,
    target: "wakeful ≤ 0.5× native",
  },
  {
    id: "W3",
    title: "yield storm, 1,000 tasks × 1,000 yields",
    unit: "yield",
    full: 1_000_000,
    quick: 100_000,
    impls: { raw: {}, native: {}, wakeful: {}, effection: { cap: 100_000, runs: 3 }, effect: { cap: 500_000, runs: 3 }, saga: { cap: 100_000, runs: 3 } },
    expect: (n) => n,
    target: "wakeful ≤ 2× raw, and faster than native `await null`",
  },
  {
    id: "W4",
    title: "100k sleepers of 1–50 ms, real clock: wall time",
    unit: "sleeper",
    full: 100_000,
    quick: 20_000,
    impls: { raw: {}, native: {}, wakeful: {}, effection: { cap: 5_000, runs: 3 }, effect: { cap: 50_000, runs: 3 }, saga: { cap: 5_000, runs: 3 } },
    expect: (n) => n,
    target: "wakeful ≤ 1× native time",
  },
  {
    id: "W4mem",
    title: "100k sleepers parked: heap per parked task",
    unit: "parked task",
    full: 100_000,
    quick: 20_000,
    impls: { raw: {}, native: {}, wakeful: {}, effection: { cap: 5_000, runs: 3 }, effect: { cap: 50_000, runs: 3 }, saga: { cap: 5_000, runs: 3 } },
    expect: (n) => n,
    target: "wakeful ≤ 400 B per parked task",
  },
  {
    id: "W4f",
    title: "W4 with a fresh sleeper function per task: wall time",
    unit: "sleeper",
    full: 100_000,
    quick: 20_000,
    impls: { raw: {}, native: {}, wakeful: {}, effection: { cap: 5_000, runs: 3 }, effect: { cap: 50_000, runs: 3 }, saga: { cap: 5_000, runs: 3 } },
    expect: (n) => n,
    target: "report only: what a closure per task costs each system",
  },
  {
    id: "W4fmem",
    title: "W4mem with a fresh sleeper function per task: heap per parked task",
    unit: "parked task",
    full: 100_000,
    quick: 20_000,
    impls: { raw: {}, native: {}, wakeful: {}, effection: { cap: 5_000, runs: 3 }, effect: { cap: 50_000, runs: 3 }, saga: { cap: 5_000, runs: 3 } },
    expect: (n) => n,
    target: "report only: what a closure per task costs each system",
  },
  {
    id: "W5",
    title: "yield* chain 20 deep × 50k (leaf: a ready future)",
    unit: "chain",
    full: 50_000,
    quick: 10_000,
    impls: { raw: {}, native: {}, wakeful: {}, effection: { cap: 10_000, runs: 3 }, effect: { cap: 50_000, runs: 3 }, saga: { cap: 10_000, runs: 3 } },
    expect: (n) => n,
    target: "wakeful ≤ 1.2× raw",
  },
  {
    id: "W6",
    title: "fan-in, 100 producers → one bounded(64) channel, 200k messages",
    unit: "message",
    full: 200_000,
    quick: 20_000,
    impls: { raw: {}, native: {}, wakeful: {}, "wakeful-local": {}, effection: { cap: 50_000, runs: 3 }, effect: { cap: 200_000, runs: 3 }, saga: { cap: 20_000, runs: 3 } },
    expect: sumTo,
    target: "wakeful ≤ 0.5× native",
  },
  {
    id: "MUTEX",
    title: "mutex, 1,000 tasks × 1,000 lock / yield / unlock",
    unit: "lock+unlock",
    full: 1_000_000,
    quick: 100_000,
    impls: { native: {}, wakeful: {}, effect: { cap: 20_000, runs: 3 } },
    expect: (n) => n,
    target: "report only (issue #3)",
  },
  {
    id: "ALL10K",
    title: "all() over 10,000 children",
    unit: "child",
    full: 10_000,
    quick: 10_000,
    impls: { native: {}, wakeful: {}, effection: { cap: 2_000, runs: 3 }, effect: { runs: 3 }, saga: { runs: 3 } },
    expect: sumTo,
    target: "near-linear: per-child time at 100k ≈ at 10k",
  },
  {
    id: "ALL100K",
    title: "all() over 100,000 children",
    unit: "child",
    full: 100_000,
    quick: 100_000,
    impls: { native: {}, wakeful: {}, effect: { runs: 3 } },
    expect: sumTo,
    target: "near-linear: per-child time at 100k ≈ at 10k",
  },
  {
    id: "TRACE",
    title: "W3 (yield storm) with tracing off / a no-op trace function / no option",
    unit: "yield",
    full: 1_000_000,
    quick: 100_000,
    impls: { wakeful: {} },
    variants: ["no option", "trace: false", "trace: () => {}"],
    expect: (n) => n,
    target: "tracing off costs nothing measurable",
  },
];

/** True for the workloads measured in bytes per parked task rather than time per op. */
export function isMem(id: WorkloadId): boolean {
  return id === "W4mem" || id === "W4fmem";
}

export function workload(id: string): WorkloadSpec {
  const w = WORKLOADS.find((x) => x.id === id);
  if (w === undefined) throw new RangeError(`unknown workload ${JSON.stringify(id)}: use one of ${WORKLOADS.map((x) => x.id).join(", ")}`);
  return w;
}

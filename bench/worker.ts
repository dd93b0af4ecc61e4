// The worker side of a benchmark: one process runs one job (a workload with one
// implementation), warms up on a tenth of the size (at least 10k ops), collects garbage, runs the measured pass
// and prints one `BENCH_RESULT {json}` line. A fresh process per job keeps JIT state, heap
// and timers of one implementation from leaking into another's numbers.

import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { isMem, type Job, type Measurement, type WorkloadId } from "./jobs";

/** One implementation's workloads: each runs the work of size `n` and measures itself. */
export type Workload = (n: number, variant: string | undefined) => Promise<Measurement>;
export type Implementation = Partial<Record<WorkloadId, Workload>>;

/** Milliseconds from a monotonic origin. */
export function now(): number {
  return performance.now();
}

/** Collect garbage now (the workers run with --expose-gc). */
export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g !== "function") throw new Error("run the worker with node --expose-gc");
  g();
  g();
}

/** Resolve after the current macrotask, so queued host work (timers, immediates) has run. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Measure the heap a set of parked tasks holds: `start()` parks `n` tasks (each calls
 * `parked()` just before it suspends); once all have, garbage is collected and the heap growth
 * since the baseline is divided by `n`. The process exits right after reporting, so the
 * long-sleeping tasks are never woken.
 */
export async function heapPerParked(n: number, start: (parked: () => void) => void): Promise<Measurement> {
  let count = 0;
  const parked = () => void count++;
  await macrotask();
  gc();
  const base = process.memoryUsage().heapUsed;
  const t0 = now();
  start(parked);
  while (count < n) await macrotask();
  const ms = now() - t0;
  await macrotask();
  await macrotask();
  gc();
  const used = process.memoryUsage().heapUsed;
  return { ms, ops: n, bytesPerOp: (used - base) / n, check: count };
}

/** Post one inspector command and wait for its answer. */
function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (error, result) => (error !== null ? reject(error) : resolve(result as T)));
  });
}

/**
 * Run `body` under the V8 sampling profiler (100 µs interval) and write the .cpuprofile to
 * `file`: unlike `node --cpu-prof`, only the measured pass is sampled, not start-up or warm-up.
 */
async function profiled<T>(file: string, body: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  await post(session, "Profiler.enable");
  await post(session, "Profiler.setSamplingInterval", { interval: 100 });
  await post(session, "Profiler.start");
  const result = await body();
  const { profile } = await post<{ profile: object }>(session, "Profiler.stop");
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  return result;
}

/** Entry point of a worker bundle: read the job from argv, run it, print the result. */
export function runWorker(impl: Implementation): void {
  const job = JSON.parse(process.argv[2] ?? "null") as (Job & { profile?: string }) | null;
  if (job === null) throw new Error("usage: node --expose-gc build/bench/<impl>.js '<job json>'");
  const fn = impl[job.workload];
  if (fn === undefined) throw new Error(`${job.impl} has no ${job.workload}`);
  void (async () => {
    // W4mem measures a heap with tasks that never wake: no warm-up pass may leave timers behind.
    if (!isMem(job.workload)) {
      // A tenth of the size, but at least 10k ops (or the whole size): enough for V8 to optimise.
      // Rounded to whole thousands, so per-task shares (W3, W6, MUTEX) stay whole numbers.
      const warm = Math.min(job.size, Math.ceil(Math.max(job.size / 10, 10_000) / 1000) * 1000);
      await fn(warm, job.variant);
      await macrotask();
    }
    gc();
    const run = () => fn(job.size, job.variant);
    const cpu0 = process.cpuUsage();
    const m = job.profile === undefined ? await run() : await profiled(job.profile, run);
    const cpu = process.cpuUsage(cpu0);
    m.cpuMs = (cpu.user + cpu.system) / 1000;
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(m)}\n`);
    process.exit(0);
  })().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

// exploreParallel: spread a portfolio of explorations (strategies, seeds) over worker threads,
// as shuttle's portfolio runner does, and report deterministically: the failure reported is the
// one of the first failing entry in portfolio order, whichever worker finished first.

import { availableParallelism } from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { describeValue } from "../poll";
import type { ExploreOptions } from "../testing/index";
import type { EntrySummary } from "./explore-job";

/** The outcome of {@link exploreParallel}. @public */
export interface ParallelExploreResult {
  /** True when every entry passed. */
  readonly ok: boolean;
  /** Every entry's summary, in portfolio order. */
  readonly entries: readonly EntrySummary[];
  /** The first failing entry in portfolio order (the same whichever worker finished first). */
  readonly failure: EntrySummary | undefined;
  /** Schedules run by all entries together. */
  readonly schedules: number;
}

/** Options of {@link exploreParallel}. @public */
export interface ParallelExploreOptions {
  /** Worker threads at once (default: the host's available parallelism); each entry gets a fresh one. */
  workers?: number;
  /** Called as each entry finishes, in whatever order they finish. */
  onEntry?: (summary: EntrySummary, finished: number, total: number) => void;
}

/**
 * A portfolio of `n` entries sharing `options`, each with its own seed (`seed`, `seed + 1`, …)
 * and `runs / n` runs: the same number of schedules as `explore(test, options)`, split.
 * @public
 */
export function splitRuns(options: ExploreOptions, n: number): ExploreOptions[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`splitRuns needs a whole number of parts ≥ 1, not ${describeValue(n)}`);
  const runs = options.runs ?? 1000;
  const seed = options.seed ?? 0;
  return Array.from({ length: n }, (_, i) => ({ ...options, seed: seed + i, runs: Math.ceil(runs / n) }));
}

/**
 * Run `explore` once per portfolio entry on worker threads. The test is named by module and
 * export (a worker loads it itself: functions cannot be sent to a thread); module paths are
 * resolved from the working directory.
 *
 * ```ts
 * const r = await exploreParallel("./spec/bank-test", "transfers", [
 *   { strategy: "pct", seed: 1 }, { strategy: "pct", seed: 2 }, { strategy: "random" }, { strategy: "pb" },
 * ]);
 * if (!r.ok) console.log(r.failure!.failure!.report);
 * ```
 * @public
 */
export async function exploreParallel(module: string, exportName: string, portfolio: readonly ExploreOptions[], options: ParallelExploreOptions = {}): Promise<ParallelExploreResult> {
  if (typeof module !== "string" || module === "") throw new TypeError(`exploreParallel needs the test's module path, not ${describeValue(module)}`);
  if (!Array.isArray(portfolio) || portfolio.length === 0) throw new TypeError(`exploreParallel needs a non-empty portfolio of explore options, not ${describeValue(portfolio)}`);
  for (const entry of portfolio) {
    if (entry.onProgress !== undefined) throw new TypeError("exploreParallel: a portfolio entry cannot have onProgress (functions do not cross to a worker); use options.onEntry");
  }
  const absolute = module.startsWith(".") ? path.resolve(module) : module; // workers need an absolute path
  const size = options.workers ?? availableParallelism();
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`exploreParallel needs workers ≥ 1, not ${describeValue(size)}`);
  const job = require.resolve("./explore-job");
  // From the TypeScript sources, a worker needs the TypeScript loader the parent process has.
  const typescript = job.endsWith(".ts") ? require.resolve("ts-node/register/transpile-only") : undefined;
  const entries: EntrySummary[] = new Array(portfolio.length);
  let next = 0;
  let finished = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < portfolio.length; i = next++) {
      entries[i] = await runEntry(job, typescript, absolute, exportName, i, portfolio[i]);
      options.onEntry?.(entries[i], ++finished, portfolio.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, portfolio.length) }, worker));
  const failure = entries.find((e) => !e.ok);
  return { ok: failure === undefined, entries, failure, schedules: entries.reduce((n, e) => n + e.schedules, 0) };
}

/** The program of one worker thread: load the job module (and the TypeScript loader), run one entry, post the summary. */
const WORKER = String.raw`"use strict";
const { parentPort, workerData } = require("node:worker_threads");
try {
  if (workerData.typescript !== undefined) require(workerData.typescript);
  const summary = require(workerData.job).exploreEntry(workerData.module, workerData.exportName, workerData.entry, workerData.options);
  parentPort.postMessage({ ok: true, summary });
} catch (error) {
  parentPort.postMessage({ ok: false, error: error instanceof Error ? error.name + ": " + error.message : String(error) });
}`;

/** Run one portfolio entry on a fresh worker thread. */
function runEntry(job: string, typescript: string | undefined, module: string, exportName: string, entry: number, options: ExploreOptions): Promise<EntrySummary> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: { job, typescript, module, exportName, entry, options }, name: `exploreParallel entry ${entry}` });
    let settled = false;
    w.once("message", (m: { ok: true; summary: EntrySummary } | { ok: false; error: string }) => {
      settled = true;
      if (m.ok) resolve(m.summary);
      else reject(new Error(`exploreParallel entry ${entry}: ${m.error}`));
      void w.terminate();
    });
    w.once("error", (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    w.once("exit", (code) => {
      if (!settled) reject(new Error(`exploreParallel entry ${entry}: the worker exited with code ${code} before it answered`));
      settled = true;
    });
  });
}

// The job a worker thread runs for exploreParallel: load the test from its module, explore it
// with one portfolio entry's options, and return the outcome as plain data (what a worker can
// send back). Invariant: the same module, export and options always give the same summary.

import { explore, type ExploreOptions } from "../testing/index";
import type { ScheduleTest } from "../testing/index";

/** What one portfolio entry found, as plain data. @public */
export interface EntrySummary {
  readonly entry: number;
  readonly strategy: string;
  readonly seed: number;
  readonly ok: boolean;
  readonly schedules: number;
  readonly exhausted: boolean;
  readonly covered: string;
  readonly failure?: {
    readonly kind: string;
    readonly error: string;
    readonly token: string;
    readonly preemptionToken: string;
    readonly preemptions: number;
    readonly at: number;
    readonly report: string;
  };
}

/** Run one portfolio entry (called in a worker by exploreParallel). */
export function exploreEntry(module: string, exportName: string, entry: number, options: ExploreOptions): EntrySummary {
  const test = (require(module) as Record<string, unknown>)[exportName];
  if (typeof test !== "function") throw new TypeError(`exploreParallel: ${module} has no function export ${JSON.stringify(exportName)} (a schedule test (rt) => …)`);
  const r = explore(test as ScheduleTest, options);
  const f = r.failure;
  return {
    entry,
    strategy: r.strategy,
    seed: r.seed,
    ok: r.ok,
    schedules: r.schedules,
    exhausted: r.exhausted,
    covered: r.covered,
    ...(f === undefined
      ? {}
      : {
          failure: {
            kind: f.kind,
            error: f.error instanceof Error ? `${f.error.name}: ${f.error.message}` : String(f.error),
            token: f.token,
            preemptionToken: f.preemptionToken,
            preemptions: f.preemptions,
            at: f.found.at,
            report: f.report,
          },
        }),
  };
}

// Concurrency bugs from the literature, ported to wakeful tasks: SCTBench's CS programs (Thomson,
// Donaldson, Betts, PPoPP 2014 / TOPC 2016), the PCT paper's long-loop example (Burckhardt et al.,
// ASPLOS 2010), a lock-free stack's ABA, and three Node.js bug shapes of the kind NodeRacer's
// study reports (Endo, Møller, ICSE 2020). Each has a fixed version; shared by the specs.

import { yieldNow, type Runtime } from "../../lib/index";
import type { ScheduleTest } from "../../lib/testing/index";

export interface Program {
  readonly name: string;
  /** Where it comes from. */
  readonly source: string;
  readonly buggy: ScheduleTest;
  readonly fixed: ScheduleTest;
  /** What the failure says. */
  readonly error: RegExp;
  /** Deviations from FIFO of the least failing schedule (proved by the shrinker's search). */
  readonly deviations: number;
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

/**
 * The PCT paper's long-loop example: t1 runs a loop of `n` steps and then initialises; t2
 * assumes it runs before t1 finishes. A depth-1 bug: PCT finds it with probability 1/2 per run
 * (t1 gets the higher priority); a random walk needs t1 chosen n times in a row (2^-n).
 */
export function longLoop(n: number, fixed = false): ScheduleTest {
  return (rt: Runtime) => {
    let initialised = false;
    rt.spawn(function* t1() {
      for (let i = 0; i < n; i++) yield* yieldNow();
      initialised = true;
    }, { name: "t1" });
    let t2saw: boolean | undefined;
    rt.spawn(function* t2() {
      yield* yieldNow();
      t2saw = initialised;
      if (t2saw && !fixed) throw new Error("t2 ran after t1 had finished its loop");
    }, { name: "t2" });
    // The fix: t2 handles both orders (it no longer assumes it runs first).
    return () => expectEqual(initialised && t2saw !== undefined, true, "both done");
  };
}

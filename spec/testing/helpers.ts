// Helpers shared by the testing specs.

import { Runtime, yieldNow } from "../../lib/index";
import type { RecordingScheduler, ScheduleTest } from "../../lib/testing/index";

/** The error `f` throws (fails the spec when it throws nothing). */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw, but nothing was thrown");
}

/** Run `test` once under `scheduler` with runSync, and return the order tasks took steps in. */
export function stepOrder(test: ScheduleTest, scheduler: RecordingScheduler): string[] {
  const order: string[] = [];
  const rt = new Runtime({ clock: "virtual", scheduler, trace: (e) => void (e.kind === "poll" && order.push(e.name ?? `#${e.task}`)) });
  test(rt);
  rt.runSync();
  return order;
}

/** Tasks that each yield `yields` times, logging every step they take into `log`. */
export function yielders(names: readonly string[], yields: number, log: string[]): ScheduleTest {
  return (rt) => {
    for (const name of names) {
      rt.spawn(function* () {
        for (let i = 0; i <= yields; i++) {
          log.push(name);
          if (i < yields) yield* yieldNow();
        }
      }, { name });
    }
  };
}


// The simple testing schedulers: fifo (the default order, recorded), random (a uniform pick at
// every decision point, from a seed) and replay (a given schedule or token). Invariant: each
// is deterministic given its argument, so the same seed or token always gives the same run.

import type { TaskInfo } from "../task";
import { checkSeed, Prng } from "./prng";
import { RecordingScheduler } from "./recorder";
import { PreemptionReplay, decodePreemptions, isPreemptionToken } from "./preemption";
import { encodeSchedule, toSchedule, type Schedule } from "./schedule";

class Fifo extends RecordingScheduler {
  protected pick(): number {
    return 0;
  }
  override toString(): string {
    return "fifo()";
  }
}

/**
 * The default order (FIFO), as a recording scheduler: always choice 0.
 *
 * ```ts
 * const rt = new Runtime({ clock: "virtual", scheduler: fifo() });
 * ```
 * @public
 */
export function fifo(): RecordingScheduler {
  return new Fifo();
}

class RandomWalk extends RecordingScheduler {
  private readonly rng: Prng;
  constructor(private readonly seed: number) {
    super();
    this.rng = new Prng(seed);
  }
  protected pick(ready: readonly TaskInfo[]): number {
    return this.rng.below(ready.length);
  }
  override toString(): string {
    return `random(${this.seed})`;
  }
}

/**
 * A uniform random pick among the ready tasks at every decision point, from `seed` (a random
 * walk, like shuttle's `check_random`). Good at shallow bugs in small programs; for bugs that
 * need a task to be held back for long, prefer {@link pct}.
 *
 * ```ts
 * const rt = new Runtime({ clock: "virtual", scheduler: random(42) });
 * ```
 * @public
 */
export function random(seed: number): RecordingScheduler {
  return new RandomWalk(checkSeed(seed, "random()"));
}

class Replay extends RecordingScheduler {
  private readonly wanted: readonly number[];
  constructor(schedule: Schedule) {
    super();
    this.wanted = schedule.choices.slice();
  }
  protected pick(_ready: readonly TaskInfo[], _now: number, decision: number): number {
    return decision < this.wanted.length ? this.wanted[decision] : 0;
  }
  override toString(): string {
    return `replay(${JSON.stringify(encodeSchedule({ choices: this.wanted.slice() }))})`;
  }
}

/**
 * Replay a schedule or its token: choice i at decision point i, clamped to the ready tasks;
 * decisions past the end take 0 (FIFO). A token recorded before an unrelated change still
 * replays as far as it applies. A preemption-relative `p1:` token replays from the
 * non-preemptive baseline instead (see {@link nonPreemptive}).
 *
 * ```ts
 * const rt = new Runtime({ clock: "virtual", scheduler: replay("w1:01") });
 * ```
 * @public
 */
export function replay(tokenOrSchedule: string | Schedule): RecordingScheduler {
  if (isPreemptionToken(tokenOrSchedule)) return new PreemptionReplay(decodePreemptions(tokenOrSchedule));
  return new Replay(toSchedule(tokenOrSchedule, "replay()"));
}

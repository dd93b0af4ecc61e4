// Preemption bounding (CHESS: Musuvathi & Qadeer, PLDI 2007): schedules measured against the
// non-preemptive baseline, where the task that ran last keeps running while it is ready.
// Switching away from it while it is still ready is a preemption; switching when it parked or
// finished is free. Schedules in this measure have their own token format, `p1:`.
//
// Why a yield counts: in wakeful every await is a yield, so if switching at a yield were free
// (as at a blocking call in CHESS) every switch would be free and the bound would mean nothing.
// A `yieldNow`, a `step`, a future that wakes itself and a budget-forced yield all leave the task
// ready, and running another task there is one preemption.

import type { TaskInfo } from "../task";
import { DfsFrontier, type RunChoices, type Systematic } from "./dfs";
import { RecordingScheduler } from "./recorder";
import { decodeChoices, encodeChoices, type Schedule } from "./schedule";

/** The version prefix of preemption-relative tokens. */
export const PREEMPTION_PREFIX = "p1:";

/**
 * A preemption-relative schedule's token: `p1:` and the same body as a `w1:` token, one entry per
 * decision point — 0 keeps the task that ran last running when it is still ready (else runs the
 * FIFO head, like `w1:`), k ≥ 1 runs the k-th other ready task in FIFO order.
 *
 * ```ts
 * encodePreemptions({ choices: [0, 0, 1] }); // "p1:001"
 * ```
 * @public
 */
export function encodePreemptions(schedule: Schedule): string {
  return encodeChoices(PREEMPTION_PREFIX, schedule.choices);
}

/** The schedule of a `p1:` token (the inverse of {@link encodePreemptions}). @public */
export function decodePreemptions(token: string): Schedule {
  return { choices: decodeChoices(PREEMPTION_PREFIX, "p", token) };
}

/** True when `token` is a preemption-relative (`p1:`) token. */
export function isPreemptionToken(token: unknown): token is string {
  return typeof token === "string" && /^\s*p\d+:/.test(token);
}

/** Replays preemption-relative choices; after them, the non-preemptive baseline. */
export class PreemptionReplay extends RecordingScheduler {
  private readonly wanted: readonly number[];
  constructor(schedule: Schedule) {
    super();
    this.wanted = schedule.choices.slice();
  }
  protected pick(ready: readonly TaskInfo[], _now: number, decision: number): number {
    const want = decision < this.wanted.length ? this.wanted[decision] : 0;
    const running = this.running(ready);
    if (running < 0) return want;
    if (want === 0) return running;
    const other = Math.min(want - 1, ready.length - 2); // clamped, as FIFO-relative choices are
    return other < running ? other : other + 1;
  }
  override toString(): string {
    return `replay(${JSON.stringify(encodePreemptions({ choices: this.wanted.slice() }))})`;
  }
}

/**
 * The non-preemptive baseline: the task that ran last continues while it is ready; when it
 * parks or finishes, the FIFO head runs; `schedule` adds preemption-relative choices. It needs
 * to know which task ran last: `explore` and `check` tell it (set `lastRan` and
 * `lastStillReady` after each `rt.step()` to drive it by hand).
 *
 * ```ts
 * check(test, { replay: "p1:001" }); // the same as explore's replay of a p1: token
 * ```
 * @public
 */
export function nonPreemptive(schedule: Schedule = { choices: [] }): RecordingScheduler {
  return new PreemptionReplay(schedule);
}

/**
 * Iterative preemption bounding: every schedule with 0 preemptions, then every one with at most
 * 1, 2, … up to `maxPreemptions` (each bound's search re-runs the schedules of the smaller ones,
 * as a stateless search must). A bug found at bound c needs c preemptions and no fewer.
 */
export class PreemptionBounding implements Systematic {
  bound = 0;
  private frontier = new DfsFrontier(0);
  exhausted = false;
  readonly collects = false;
  constructor(private readonly maxPreemptions: number) {}
  scheduler(): RecordingScheduler {
    return new PreemptionReplay({ choices: this.frontier.prefix });
  }
  advance(run: RunChoices): string | undefined {
    const mismatch = this.frontier.advance(run.pchoices, run.candidates, run.costly);
    if (mismatch !== undefined || !this.frontier.exhausted) return mismatch;
    if (this.bound >= this.maxPreemptions) this.exhausted = true;
    else this.frontier = new DfsFrontier(++this.bound);
    return undefined;
  }
}

// The base of every testing scheduler: it asks its strategy for a choice, clamps it, and
// records what was actually taken. Invariant: `choices` replayed with `replay()` reproduces the
// run exactly, whatever strategy produced it (random draws and PCT priorities become indices).

import { clampChoice, type Scheduler } from "../scheduler";
import type { TaskInfo } from "../task";
import { encodeSchedule, trimSchedule, type Schedule } from "./schedule";

/** One decision, as kept for reports when logging is on. */
export interface DecisionRecord {
  /** 0-based index of the decision point. */
  readonly index: number;
  /** Runtime clock when it was made (ms). */
  readonly at: number;
  /** The ready tasks, in FIFO order. */
  readonly ready: readonly TaskInfo[];
  /** Index into `ready` of the task that ran. */
  readonly chosen: number;
  /** Index into `ready` of the task that ran last, still ready (so another choice preempts it); -1 if none. */
  readonly running: number;
}

/**
 * A Scheduler that remembers its choices, so any run can be turned into a replayable
 * {@link Schedule}. Subclass it and implement `pick` to write your own strategy.
 *
 * ```ts
 * const s = random(7);
 * const rt = new Runtime({ clock: "virtual", scheduler: s });
 * // … spawn, rt.runSync() …
 * s.token(); // "w1:…": replay(s.token()) runs the same interleaving again
 * ```
 * @public
 */
export abstract class RecordingScheduler implements Scheduler {
  /** The choice taken at each decision point so far (already clamped). */
  readonly choices: number[] = [];
  /** How many tasks were ready at each decision point. */
  readonly candidates: number[] = [];
  /**
   * Steps (task polls) the run has taken so far. `explore` keeps it current; a strategy that
   * counts in steps (pct's horizon) falls back on the decision count when nobody does.
   */
  stepsTaken = 0;
  /** When set to an array, every decision is also logged there with its ready tasks. */
  log: DecisionRecord[] | undefined = undefined;

  /**
   * The task whose step came last, and whether it ended still ready (it yielded, rather than
   * parked or finished). `explore` keeps them current; they define preemptions.
   */
  lastRan: number | undefined = undefined;
  /** Whether `lastRan` ended its step still ready (see `lastRan`): only then does running another task count as a preemption. */
  lastStillReady = false;
  /**
   * The same choices relative to the non-preemptive baseline: 0 continues the task that ran
   * last when it is still ready (else takes the FIFO head); k ≥ 1 runs the k-th other ready task
   * in FIFO order. The encoding of `p1:` tokens.
   */
  readonly pchoices: number[] = [];
  /** Per decision: true when the last task was still ready there, so running another preempts it. */
  readonly costly: boolean[] = [];
  /** Decisions that ran another task while the last one was still ready (CHESS's preemptions). */
  preemptions = 0;
  /** With `keepReadyIds`: the ready task ids at each decision point (what partial-order reduction reads). */
  readonly readyIds: number[][] = [];
  /** Record `readyIds` at each decision (off by default: it costs an array per decision). */
  keepReadyIds = false;

  chooseTask(ready: readonly TaskInfo[], now: number): number {
    const n = ready.length;
    const index = this.choices.length;
    const running = this.running(ready);
    const k = clampChoice(this.pick(ready, now, index), n);
    this.choices.push(k);
    this.candidates.push(n);
    if (this.keepReadyIds) {
      const ids: number[] = new Array(n);
      for (let i = 0; i < n; i++) ids[i] = ready[i].id;
      this.readyIds.push(ids);
    }
    this.costly.push(running >= 0);
    this.pchoices.push(running < 0 ? k : k === running ? 0 : k < running ? k + 1 : k);
    if (running >= 0 && k !== running) this.preemptions++;
    if (this.log !== undefined) {
      this.log.push({ index, at: now, ready: ready.map((t) => ({ id: t.id, name: t.name })), chosen: k, running });
    }
    return k;
  }

  /** Index in `ready` of the task that ran last, if it is still ready there; otherwise -1. */
  protected running(ready: readonly TaskInfo[]): number {
    if (!this.lastStillReady || this.lastRan === undefined) return -1;
    for (let i = 0; i < ready.length; i++) if (ready[i].id === this.lastRan) return i;
    return -1;
  }

  /** The strategy: which of `ready` (FIFO order) runs at decision `decision`. Clamped afterwards. */
  protected abstract pick(ready: readonly TaskInfo[], now: number, decision: number): number;

  /** The choices taken so far, as a schedule (trailing zeros dropped). */
  schedule(): Schedule {
    return { choices: trimSchedule(this.choices) };
  }

  /** The replay token of the choices taken so far. */
  token(): string {
    return encodeSchedule({ choices: this.choices });
  }
}

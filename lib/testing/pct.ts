// PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS
// 2010): run the highest-priority ready task; priorities are random and distinct; at d − 1
// random decision points the task about to run drops below every other. For n tasks and k
// decision points, one run finds any bug of depth d with probability ≥ 1 / (n · k^(d−1)).
// Invariant: deterministic given (seed, depth, steps, horizon); within the first `horizon` steps
// the schedule is pure PCT (so the bound holds there), and a task never starves forever.

import { describeValue } from "../poll";
import type { TaskInfo } from "../task";
import { checkSeed, Prng } from "./prng";
import { RecordingScheduler } from "./recorder";

/** Options for {@link pct}. @public */
export interface PctOptions {
  /**
   * The expected number of decision points in one run (PCT's k), over which the change points
   * are spread. `explore` measures it; standalone, the default is 100.
   */
  steps?: number;
  /**
   * Steps (task polls) during which no task is demoted for spinning (default 1000): runs of at
   * most this many steps are pure PCT, so the bound holds for them whatever their loops look
   * like. `explore` sets it to the longest run it has seen without a demotion (FIFO's first).
   */
  horizon?: number;
}

/**
 * Past the horizon, a task picked this many decision points in a row, while others were ready,
 * is treated as spinning (it keeps yielding to wait for someone) and drops below every other
 * task. Without it, a spin-wait with the higher priority would starve the task it waits for: a
 * livelock that no real scheduler would produce. Before the horizon it must not act: a demotion
 * is a priority change PCT's bound does not count, and a plain loop of 24 steps (the figure-5
 * program of the PCT paper) would lose the 1/n chance the bound promises.
 */
const SPIN_LIMIT = 24;

class Pct extends RecordingScheduler {
  private readonly rng: Prng;
  private readonly priority = new Map<number, number>();
  /** Decision indices of the change points, ascending, and the priority each one assigns. */
  private readonly changeAt: number[] = [];
  private readonly changeTo: number[] = [];
  private nextChange = 0;
  /** Priorities below every change point's, handed out to spinning tasks. */
  private floor = 0;
  private lastPicked = -1;
  private streak = 0;
  /** How many times a spinning task was demoted in this run (0: the run was pure PCT). */
  spinDemotions = 0;

  constructor(
    private readonly seed: number,
    private readonly depth: number,
    private readonly steps: number,
    private readonly horizon: number,
  ) {
    super();
    const rng = (this.rng = new Prng(seed));
    // d − 1 change points, distinct where k allows; point i lowers to priority i (1 … d−1),
    // below every initial priority (which lie in [d, d + 1)).
    const points: { at: number; to: number }[] = [];
    const used = new Set<number>();
    for (let i = 1; i < depth; i++) {
      let at = rng.below(steps);
      for (let tries = 0; used.has(at) && used.size < steps && tries < 64; tries++) at = rng.below(steps);
      used.add(at);
      points.push({ at, to: i });
    }
    points.sort((a, b) => a.at - b.at);
    for (const p of points) {
      this.changeAt.push(p.at);
      this.changeTo.push(p.to);
    }
  }

  protected pick(ready: readonly TaskInfo[], _now: number, decision: number): number {
    const priority = this.priority;
    for (const t of ready) if (!priority.has(t.id)) priority.set(t.id, this.depth + this.rng.float());
    let best = highest(ready, priority);
    while (this.nextChange < this.changeAt.length && this.changeAt[this.nextChange] <= decision) {
      priority.set(ready[best].id, this.changeTo[this.nextChange++]);
      best = highest(ready, priority);
    }
    const id = ready[best].id;
    if (id !== this.lastPicked) {
      this.lastPicked = id;
      this.streak = 1;
    } else if (++this.streak > SPIN_LIMIT && Math.max(this.stepsTaken, decision) >= this.horizon) {
      this.spinDemotions++;
      priority.set(id, --this.floor);
      best = highest(ready, priority);
      this.lastPicked = ready[best].id;
      this.streak = 1;
    }
    return best;
  }

  override toString(): string {
    return `pct(${this.seed}, ${this.depth}, { steps: ${this.steps}, horizon: ${this.horizon} })`;
  }
}

function highest(ready: readonly TaskInfo[], priority: Map<number, number>): number {
  let best = 0;
  let top = -Infinity;
  for (let i = 0; i < ready.length; i++) {
    const p = priority.get(ready[i].id) as number;
    if (p > top) {
      top = p;
      best = i;
    }
  }
  return best;
}

/**
 * The PCT scheduler: random distinct task priorities and `depth − 1` priority change points.
 * A bug that needs `d` ordering constraints between `n` tasks over `k` decision points is found
 * by one run with probability at least 1 / (n · k^(d−1)); `explore` repeats runs with fresh seeds.
 *
 * ```ts
 * const rt = new Runtime({ clock: "virtual", scheduler: pct(7, 2, { steps: 20 }) });
 * ```
 * @public
 */
export function pct(seed: number, depth = 3, options: PctOptions = {}): RecordingScheduler & {
  /** How many times a spinning task was demoted in this run (0: the run was pure PCT). */
  readonly spinDemotions: number
} {
  checkSeed(seed, "pct()");
  if (typeof depth !== "number" || !Number.isInteger(depth) || depth < 1) {
    throw new RangeError(`pct() needs a depth (bug depth d) that is a whole number ≥ 1, not ${describeValue(depth)}`);
  }
  const steps = options?.steps ?? 100;
  if (typeof steps !== "number" || !Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`pct() needs options.steps (expected decision points per run) to be a whole number ≥ 1, not ${describeValue(steps)}`);
  }
  const horizon = options?.horizon ?? 1000;
  if (typeof horizon !== "number" || !(Number.isInteger(horizon) || horizon === Infinity) || horizon < 0) {
    throw new RangeError(`pct() needs options.horizon (steps before spin demotion may act) to be a whole number ≥ 0, not ${describeValue(horizon)}`);
  }
  return new Pct(seed, depth, steps, horizon);
}

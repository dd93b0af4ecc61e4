// Which ready task runs next. The default is FIFO (the order tasks became ready) and costs
// nothing: the driver takes the queue's head without asking. A Scheduler is the testing seam:
// the driver consults it at every decision point, a moment with two or more ready tasks.

import type { TaskInfo } from "./task";

/**
 * Chooses the next task at each decision point. wakeful/testing provides `fifo`, `random`,
 * `pct` and `replay`; write your own to steer a run.
 * @public
 */
export interface Scheduler {
  /**
   * Two or more tasks are ready; `ready` lists them in FIFO order (index 0 is what FIFO would
   * run). Return the index of the one to run now; values outside the list are clamped.
   */
  chooseTask(ready: readonly TaskInfo[], now: number): number;
}

/** Clamp a scheduler's answer into `0 … count - 1` (NaN and fractions round toward FIFO). */
export function clampChoice(choice: number, count: number): number {
  if (!(choice > 0)) return 0;
  const k = Math.floor(choice);
  return k >= count ? count - 1 : k;
}

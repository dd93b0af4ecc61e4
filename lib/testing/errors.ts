// The failures an exploration reports besides the program's own errors and DeadlockError: a
// run that never ends (step limit) and behaviour the explorer cannot control or reproduce
// (nondeterminism). Each is an Error whose `name` equals its class name.

/** One task seen running while a schedule went past its step limit. @public */
export interface BusyTask {
  /** The task's id. */
  readonly id: number;
  /** The task's name, if it has one. */
  readonly name: string | undefined;
  /** Steps it took in the sample the report was made from. */
  readonly steps: number;
  /** What its last step ended with, in words (`rescheduled: woken during its poll`, `waits on …`). */
  readonly last: string;
}

/**
 * A schedule ran more than `maxSteps` steps without finishing: a livelock (tasks that keep
 * each other busy, a spin-wait that never sees its condition), or a limit set too low.
 * @public
 */
export class StepLimitError extends Error {
  /** Always `"StepLimitError"`. */
  override readonly name = "StepLimitError";
  constructor(
    /** The limit that was passed. */
    readonly maxSteps: number,
    /** The tasks seen running in the last steps, busiest first. */
    readonly tasks: readonly BusyTask[],
  ) {
    super(
      `the schedule did not finish within maxSteps = ${maxSteps} steps (a livelock, or raise maxSteps); still running:\n` +
        tasks.map((t) => `  task #${t.id}${t.name === undefined ? "" : ` "${t.name}"`}: ${t.steps} of the last steps, last ${t.last}`).join("\n"),
    );
  }
}

/**
 * The run depended on something the explorer does not control, so no schedule can reproduce
 * it: a Promise or I/O the tasks wait on, a wake from outside the runtime, or a failing schedule
 * that did not fail again when replayed (state shared between runs, `Math.random`, `Date.now`).
 * @public
 */
export class NondeterminismError extends Error {
  /** Always `"NondeterminismError"`. */
  override readonly name = "NondeterminismError";
}

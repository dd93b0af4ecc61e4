// Which task is running right now. Set by the task for the length of its step and restored
// afterwards (so a task may even drive another runtime synchronously). Free functions such as
// `spawn()`, `sleep()` and `now()` find their runtime through it.

/** The minimal view other modules need of the running task. */
export interface RunningTask {
  readonly id: number;
  readonly name: string | undefined;
  readonly finished: boolean;
  readonly host: unknown;
}

let running: RunningTask | undefined = undefined;

export function currentTask(): RunningTask | undefined {
  return running;
}

/** Make `task` the running one; returns the previous, to hand back to {@link leaveTask}. */
export function enterTask(task: RunningTask): RunningTask | undefined {
  const prev = running;
  running = task;
  return prev;
}

export function leaveTask(prev: RunningTask | undefined): void {
  running = prev;
}

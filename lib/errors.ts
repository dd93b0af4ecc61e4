// The errors wakeful throws. Each is an `Error` whose `name` equals its class name, so
// `instanceof` and `err.name` both work across realms and in logs.

/** Thrown at the suspension point of an aborted task (rule 8). Rethrow it if you catch it. @public */
export class CancelledError extends Error {
  override readonly name = "CancelledError";
  constructor(message = "the task was cancelled") {
    super(message);
  }
}

/** Thrown by `timeout(ms, body)` once the deadline passed; the inner operation has already been cancelled. @public */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  constructor(readonly ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

/** One parked task in a deadlock report. @public */
export interface ParkedTaskInfo {
  readonly id: number;
  readonly name: string | undefined;
  /** What the task waits on, as its future describes itself (`sleep(50)`, `recv on channel#3`). */
  readonly waitsOn: string;
  /** True when its last poll returned Pending without reading `cx.waker`: nothing can wake it. */
  readonly lostWaker: boolean;
}

/**
 * Every remaining task is parked and nothing can wake any of them: no timer, no pending
 * promise or I/O the runtime knows of. `tasks` lists each parked task and what it waits on.
 * @public
 */
export class DeadlockError extends Error {
  override readonly name = "DeadlockError";
  constructor(readonly tasks: readonly ParkedTaskInfo[], readonly at: number, why = "nothing can wake them") {
    super(
      `deadlock at t=${at}: ${tasks.length} task${tasks.length === 1 ? " is" : "s are"} parked and ${why}\n` +
        tasks.map((t) => "  " + describeParked(t)).join("\n"),
    );
  }
}

function describeParked(t: ParkedTaskInfo): string {
  const who = `task #${t.id}${t.name === undefined ? "" : ` "${t.name}"`}`;
  const lost = t.lostWaker ? " — its future returned Pending without reading cx.waker (a lost waker)" : "";
  return `${who} waits on ${t.waitsOn}${lost}`;
}

/** `send` on a channel whose receiver is gone, or another use of a closed channel. @public */
export class ChannelClosedError extends Error {
  override readonly name = "ChannelClosedError";
  constructor(message = "the channel is closed") {
    super(message);
  }
}

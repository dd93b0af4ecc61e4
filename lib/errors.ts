// The errors wakeful throws. Each is an `Error` whose `name` equals its class name. Each class
// carries a registered brand, so `instanceof` holds across two copies of the package loaded in
// one process (an ESM and a CommonJS one) and across realms.

import { formatMs } from "./format-ms";

const BRAND = Symbol.for("wakeful.error");

/** True when `value` is an error branded `name` (by any copy of wakeful). */
function branded(value: unknown, name: string): boolean {
  return value !== null && typeof value === "object" && (value as { [BRAND]?: unknown })[BRAND] === name;
}

/**
 * Brand `cls` as `name`: its instances carry the brand (on the prototype, so logs stay clean),
 * and `instanceof cls` checks the brand, while `instanceof` a user's subclass of it still walks
 * the prototype chain (a subclass must not match every error of the base kind). The name is
 * spelled out: a bundler that renames classes must not change the brand. (lib/sync brands its
 * own ChannelClosedError with it, so a program without channels does not carry that class.)
 * @internal
 */
export function brand(cls: abstract new (...args: never[]) => Error, name: string): void {
  Object.defineProperty(cls.prototype, BRAND, { value: name });
  Object.defineProperty(cls, Symbol.hasInstance, {
    value(this: object, value: unknown): boolean {
      return this === cls ? branded(value, name) : Function.prototype[Symbol.hasInstance].call(this, value);
    },
  });
}

/** Thrown at the suspension point of an aborted task (rule 8). Rethrow it if you catch it. @public */
export class CancelledError extends Error {
  /** Always `"CancelledError"`, so a caught error can be told apart without `instanceof`. */
  override readonly name = "CancelledError";
  constructor(message = "the task was cancelled") {
    super(message);
  }
}

/** Thrown by `timeout(ms, body)` once the deadline passed; the inner operation has already been cancelled. @public */
export class TimeoutError extends Error {
  /** Always `"TimeoutError"`, so a caught error can be told apart without `instanceof`. */
  override readonly name = "TimeoutError";
  constructor(
    /** The time limit that passed (ms). */
    readonly ms: number,
  ) {
    super(`timed out after ${formatMs(ms)} ms`);
  }
}

/** One parked task in a deadlock report. @public */
export interface ParkedTaskInfo {
  /** The task's id. */
  readonly id: number;
  /** The task's name, if it has one. */
  readonly name: string | undefined;
  /** What the task waits on, as its future describes itself (`sleep(50)`, `recv on channel#3`). */
  readonly waitsOn: string;
  /** True when its last poll returned Pending without reading `cx.waker`: nothing can wake it. */
  readonly lostWaker: boolean;
}

/**
 * Every remaining task is parked and nothing can wake any of them: no timer, no pending
 * promise or I/O that could still settle. `tasks` lists each parked task and what it waits on.
 * @public
 */
export class DeadlockError extends Error {
  /** Always `"DeadlockError"`, so a caught error can be told apart without `instanceof`. */
  override readonly name = "DeadlockError";
  constructor(
    /** Every task left parked: what it waits on, and whether its waker was lost. */
    readonly tasks: readonly ParkedTaskInfo[],
    /** The runtime clock (ms) when the deadlock was detected. */
    readonly at: number,
    why = "nothing can wake them",
  ) {
    const one = tasks.length === 1;
    super(
      `deadlock at t=${formatMs(at)}: ${tasks.length} task${one ? " is" : "s are"} parked and ${one ? why.replace(/\bthem\b/g, "it") : why}\n` +
        tasks.map((t) => "  " + describeParked(t)).join("\n"),
    );
  }
}

function describeParked(t: ParkedTaskInfo): string {
  const who = `task #${t.id}${t.name === undefined ? "" : ` "${t.name}"`}`;
  const lost = t.lostWaker ? " — its future returned Pending without reading cx.waker (a lost waker)" : "";
  return `${who} waits on ${t.waitsOn}${lost}`;
}

brand(CancelledError, "CancelledError");
brand(TimeoutError, "TimeoutError");
brand(DeadlockError, "DeadlockError");

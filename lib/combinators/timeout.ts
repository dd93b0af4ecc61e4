// timeout(ms, body): the body's outcome if it finishes in time; otherwise the body is cancelled
// and, once it has unwound, TimeoutError. A race between the body and a deadline, with one
// rule of its own: a body that finishes exactly at the deadline wins.

import { CancelledError, TimeoutError } from "../errors";
import type { Body, Op } from "../poll";
import { describeFuture, describeValue, isBody, isFuture } from "../poll";
import { checkMs, now, sleep, sleepUntil } from "../time";
import type { Context } from "../waker";
import type { Child } from "./children";
import { Combinator } from "./combinator";

class Timeout<T> extends Combinator<T> {
  protected readonly who = "timeout()";
  private body: Child | undefined = undefined;
  /** The deadline passed while the body was still running. */
  private expired = false;
  /** The body's task was already queued at the deadline and got its turn first. */
  private graced = false;
  /** The outcome is our own TimeoutError. */
  private timedOut = false;

  constructor(
    private ms: number,
    private readonly inner: Body<T>,
    /** With timeoutAt: the deadline on the runtime clock, instead of `ms` from the first poll. */
    private readonly at?: number,
  ) {
    super();
  }

  protected start(): void {
    if (this.at !== undefined) this.ms = Math.max(0, this.at - now()); // for the error and describe()
    // The body first: a future body is polled before the deadline is looked at.
    this.body = this.children.add(this.inner, 0, `timeout(${this.ms}) body`, this.who);
    this.children.add(this.at === undefined ? sleep(this.ms) : sleepUntil(this.at), 1, "", this.who);
  }

  protected settled(child: Child, ok: boolean, out: unknown): void {
    if (child === this.body) {
      if (ok) this.resolve(out as T);
      else this.reject(out);
    } else {
      this.expired = true; // decided in afterPoll, once the body had its chance in this instant
    }
  }

  /**
   * The deadline passed and the body is still running. If the body finished in the same instant
   * but was not looked at yet (its wake is queued, or its task is queued to run), give it that
   * one turn first; then time out.
   */
  protected override afterPoll(cx: Context): void {
    if (!this.expired) return;
    const body = this.body as Child;
    const task = body.task;
    if (body.queued || (task !== undefined && task.runnable && !this.graced)) {
      this.graced = true;
      cx.waker.wake(); // poll again after the body's turn
      return;
    }
    this.timedOut = true;
    this.reject(new TimeoutError(this.ms));
  }

  /** The body's cleanup threw while it was cancelled: that error replaces the TimeoutError, as a throwing finally replaces the error it unwinds. */
  protected override unwound(child: Child, ok: boolean, out: unknown): void {
    if (child === this.body && this.timedOut && !ok && !(out instanceof CancelledError)) this.redecide(out);
    else super.unwound(child, ok, out);
  }

  protected override keepsDecision(): boolean {
    return !this.timedOut;
  }

  protected completed(): T {
    throw new Error("timeout() finished without an outcome"); // unreachable: the deadline child always settles
  }

  describe(): string {
    const body = this.body;
    const inner = body?.task !== undefined ? body.task.describe() : isFuture(this.inner) ? describeFuture(this.inner) : "an operation";
    return `timeout(${this.ms}) of ${inner}${this.windingDown}`;
  }
}

/**
 * Run `body` with a deadline. If it is not done within `ms` (counted from the first poll), it
 * is cancelled — its finally blocks run — and then `TimeoutError` is thrown here. A future body
 * is polled inline; an operation runs as a child task. A body that finishes exactly at the
 * deadline wins. Cancel safety: a body future (`recv()`, `lock()`, `acquire()`, or a combinator
 * of them) that completed while the deadline won gives back what it took.
 *
 * ```ts
 * const msg = yield* timeout(100, rx.recv());
 * ```
 * @public
 */
export function timeout<T>(ms: number, body: Body<T>): Op<T> {
  checkMs("timeout", ms);
  if (!isBody(body)) throw new TypeError(`timeout() needs a generator function, an operation or a future, not ${describeValue(body)}`);
  return new Timeout(ms, body);
}

/**
 * Run `body` with a deadline at the runtime-clock time `deadline` (as `now()` reads it), not a
 * duration from the first poll (tokio's `timeout_at`): several steps can share one deadline.
 * Otherwise as {@link timeout}; the `TimeoutError` names the time left at the first poll.
 *
 * ```ts
 * const end = now() + 1000;
 * const a = yield* timeoutAt(end, stepOne());
 * const b = yield* timeoutAt(end, stepTwo(a));   // whatever is left of the same second
 * ```
 * @public
 */
export function timeoutAt<T>(deadline: number, body: Body<T>): Op<T> {
  if (typeof deadline !== "number" || Number.isNaN(deadline)) throw new TypeError(`timeoutAt() needs a deadline in ms on the runtime clock, not ${describeValue(deadline)}`);
  if (!isBody(body)) throw new TypeError(`timeoutAt() needs a generator function, an operation or a future, not ${describeValue(body)}`);
  return new Timeout(0, body, deadline);
}

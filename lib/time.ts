// Time as futures: sleep, sleepUntil, timeout, interval and now. Each waits on one entry in
// its runtime's timer heap and removes that entry when dropped, so a cancelled or finished
// wait leaves nothing behind. Durations count from the first poll, in runtime-clock ms.

import { CancelledError, TimeoutError } from "./errors";
import type { JoinHandle } from "./handle";
import { formatMs } from "./format-ms";
import { READY_VOID } from "./futures";
import type { Body, Future } from "./poll";
import { Op, Poll, describeFuture, describeValue, isBody, isFuture } from "./poll";
import type { Runtime } from "./runtime";
import { runningHost, type TaskHost } from "./task";
import type { TimerEntry } from "./timer";
import type { Context, Waker } from "./waker";
import { addWaker, isSharedWaker, removeWaker } from "./waker";
import { currentTask } from "./current";

function checkMs(what: string, ms: unknown): number {
  if (typeof ms !== "number" || Number.isNaN(ms) || ms < 0) {
    throw new RangeError(`${what} needs a duration in ms ≥ 0, not ${describeValue(ms)}`);
  }
  if (ms === Infinity) throw new RangeError(`${what}(Infinity) would never end: use pending() to wait forever`);
  return ms;
}

/**
 * `ms` from now. On a real clock, rounded up to a whole millisecond (tokio's resolution too):
 * host timers have no finer grain, and a whole number is stored unboxed by the engine.
 */
function deadlineAfter(host: TaskHost, ms: number): number {
  const t = host.clock.now() + ms;
  return host.clock.kind === "real" ? Math.ceil(t) : t;
}

/**
 * A future that waits on the runtime clock. It is its own timer entry (intrusive: arming
 * allocates nothing), so a parked sleeper costs one object beyond its task and generator.
 */
abstract class Timed<T> extends Op<T> implements TimerEntry {
  /** The entry's deadline; NaN until the first poll fixes it (durations count from there). */
  deadline = NaN;
  seq = 0;
  index = -1;
  waker: Waker | undefined = undefined;
  private host: TaskHost | undefined = undefined;

  /** True once the clock reads `at`; otherwise (re)arms this entry to wake `cx.waker`. */
  protected due(host: TaskHost, at: number, cx: Context): boolean {
    if (host.clock.now() >= at) {
      this.disarm();
      return true;
    }
    const waker = cx.waker;
    if (this.index < 0 || this.deadline !== at) {
      this.disarm();
      this.host = host;
      host.timers.arm(this, at, waker);
    } else {
      this.waker = addWaker(this.waker, waker); // a second task polling the same timer is woken too
    }
    return false;
  }

  protected disarm(): void {
    if (this.index >= 0) (this.host as TaskHost).timers.disarm(this);
    this.waker = undefined;
  }

  /**
   * A waiter was cancelled. With one waiter (the usual case, whoever polled: a task or a
   * combinator's child waker), disarm. When several tasks share this timer, forget only the
   * cancelled task's waker and keep the timer for the rest.
   */
  protected leave(): void {
    const t = currentTask();
    if (!isSharedWaker(this.waker) || t === undefined) return this.disarm();
    const rest = removeWaker(this.waker, t as unknown as Waker);
    if (rest === undefined) this.disarm();
    else this.waker = rest;
  }
}

class Sleep extends Timed<void> {
  /** `ms` is a duration, or with `absolute` the deadline itself (sleepUntil). */
  constructor(
    private readonly ms: number,
    private readonly absolute: boolean,
  ) {
    super();
  }
  poll(cx: Context): Poll<void> {
    const host = runningHost(this.absolute ? "sleepUntil()" : "sleep()");
    if (Number.isNaN(this.deadline)) this.deadline = this.absolute ? this.ms : deadlineAfter(host, this.ms);
    return this.due(host, this.deadline, cx) ? READY_VOID : Poll.pending;
  }
  drop(): void {
    this.leave(); // other tasks may still wait on this same sleep
  }
  describe(): string {
    if (this.absolute) return `sleepUntil(${formatMs(this.ms)})`;
    return Number.isNaN(this.deadline) ? `sleep(${this.ms})` : `sleep(${this.ms}) until t=${formatMs(this.deadline)}`;
  }
}

/**
 * Wait `ms` milliseconds of runtime time (counted from the first poll).
 *
 * ```ts
 * yield* sleep(50);
 * ```
 * @public
 */
export function sleep(ms: number): Op<void> {
  return new Sleep(checkMs("sleep", ms), false);
}

/** Wait until the runtime clock reads `deadline` (ms); ready at once if it already has. @public */
export function sleepUntil(deadline: number): Op<void> {
  if (typeof deadline !== "number" || Number.isNaN(deadline)) {
    throw new RangeError(`sleepUntil needs a deadline in ms, not ${describeValue(deadline)}`);
  }
  if (!Number.isFinite(deadline)) throw new RangeError(`sleepUntil(${deadline}) would never end: use pending() to wait forever`);
  return new Sleep(deadline, true);
}

/** The running task's runtime clock, in ms. Throws outside a task. @public */
export function now(): number {
  return runningHost("now()").clock.now();
}

const RUNNING = 0;
/** The deadline passed: the body is being cancelled; when it has unwound, TimeoutError. */
const CANCELLING_TIMED_OUT = 1;
/** The task waiting on the timeout was cancelled: the body is being cancelled with it. */
const CANCELLING_DROPPED = 2;

/**
 * `timeout(ms, body)`: the body's value if it finishes in time; otherwise the body is
 * cancelled (its finally blocks run to the end) and then `TimeoutError` is thrown.
 * A future body is polled inline, before the deadline is checked; an operation runs as a child
 * task the timeout owns, and a child already queued to run when the deadline is reached gets
 * that one turn first — so a body finishing exactly at the deadline wins either way.
 */
class Timeout<T> extends Timed<T> {
  private child: JoinHandle<T> | undefined = undefined;
  private phase = RUNNING;
  private graced = false;

  constructor(
    private readonly ms: number,
    private readonly body: Body<T>,
  ) {
    super();
  }

  poll(cx: Context): Poll<T> {
    const host = runningHost("timeout()");
    if (Number.isNaN(this.deadline)) {
      this.deadline = deadlineAfter(host, this.ms);
      if (!isFuture(this.body)) {
        this.child = (host.runtime as Runtime).spawn(this.body, { name: `timeout(${this.ms}) body` });
      }
    }
    if (this.phase !== RUNNING) return this.unwinding(cx);
    let p: Poll<T>;
    try {
      p = this.pollBody(cx);
    } catch (error) {
      this.disarm(); // the body failed: its error is ours, and the timer must not linger
      throw error;
    }
    if (p.ready) {
      this.disarm();
      return p;
    }
    if (!this.due(host, this.deadline, cx)) return Poll.pending;
    if (this.child !== undefined && this.child.runnable && !this.graced) {
      this.graced = true; // let the queued child have its turn at the deadline, then decide
      cx.waker.wake();
      return Poll.pending;
    }
    this.phase = CANCELLING_TIMED_OUT;
    if (!this.cancelBody()) throw new TimeoutError(this.ms);
    return this.unwinding(cx);
  }

  drop(): boolean {
    this.disarm();
    if (Number.isNaN(this.deadline)) return false; // never polled: nothing started
    const wasRunning = this.phase === RUNNING;
    this.phase = CANCELLING_DROPPED;
    return wasRunning ? this.cancelBody() : true;
  }

  describe(): string {
    const inner = this.child !== undefined ? this.child.describe() : isFuture(this.body) ? describeFuture(this.body) : "an operation";
    return `timeout(${this.ms}) of ${inner}`;
  }

  private pollBody(cx: Context): Poll<T> {
    return this.child !== undefined ? this.child.poll(cx) : (this.body as Future<T>).poll(cx);
  }

  /** Start cancelling the body; true when it needs polls to finish unwinding. */
  private cancelBody(): boolean {
    const child = this.child;
    if (child !== undefined) {
      if (child.finished) return true; // its outcome is waiting: the next poll takes it
      child.abort();
      return true;
    }
    const inner = this.body as Future<T>;
    return typeof inner.drop === "function" && inner.drop() === true;
  }

  /** Poll the body while it unwinds, and give the right outcome once it has. */
  private unwinding(cx: Context): Poll<T> {
    let p: Poll<T>;
    try {
      p = this.pollBody(cx);
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error; // a finally that threw wins
      return this.unwound();
    }
    if (!p.ready) return Poll.pending;
    // A child task that completed before it saw the abort keeps its value; an inline future's
    // Ready after drop() only means its cleanup is done.
    return this.child !== undefined ? p : this.unwound();
  }

  private unwound(): Poll<T> {
    if (this.phase === CANCELLING_TIMED_OUT) throw new TimeoutError(this.ms);
    return Poll.ready(undefined as T); // dropped: the driver now delivers the task's own cancellation
  }
}

/**
 * Run `body` with a deadline. If it is not done within `ms`, it is cancelled — its finally
 * blocks run to the end — and then `TimeoutError` is thrown here.
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

/** What an interval does after ticks were missed (the task was busy past a tick). @public */
export type MissedTickBehavior = "burst" | "delay" | "skip";

/**
 * A periodic timer: `tick()` is ready at once the first time, then every `period` ms.
 * Each tick evaluates to the time it was scheduled for.
 * @public
 */
export class Interval {
  private nextAt: number | undefined = undefined;

  /** @internal Made by {@link interval}. */
  constructor(
    readonly period: number,
    readonly missedTick: MissedTickBehavior,
  ) {}

  /** Wait for the next tick; evaluates to the tick's scheduled time. */
  tick(): Op<number> {
    return new Tick(this);
  }

  /** Restart the schedule: the next tick is one period from now. */
  reset(): void {
    this.nextAt = undefined;
    this.resetPending = true;
  }

  private resetPending = false;

  /** @internal The deadline of the next tick, fixing the first one at `now`. */
  due(now: number): number {
    if (this.nextAt === undefined) {
      this.nextAt = this.resetPending ? now + this.period : now;
      this.resetPending = false;
    }
    return this.nextAt;
  }

  /** @internal Consume the tick scheduled at `at` (now ≥ at) and schedule the next. */
  take(at: number, now: number): void {
    const p = this.period;
    if (this.missedTick === "burst" || now === at) this.nextAt = at + p;
    else if (this.missedTick === "delay") this.nextAt = now + p; // a late tick restarts the period
    else this.nextAt = now + p - ((now - at) % p); // skip: the next point of the original grid
  }
}

class Tick extends Timed<number> {
  constructor(private readonly interval: Interval) {
    super();
  }
  poll(cx: Context): Poll<number> {
    const host = runningHost("interval tick()");
    const now = host.clock.now();
    const at = this.interval.due(now);
    if (now >= at) {
      this.disarm();
      this.interval.take(at, now);
      return Poll.ready(at);
    }
    this.due(host, at, cx);
    return Poll.pending;
  }
  drop(): void {
    this.leave();
  }
  describe(): string {
    return `interval(${this.interval.period}) tick`;
  }
}

/**
 * A periodic timer. The first `tick()` is ready at once (as in tokio); missed ticks are
 * handled per `missedTick`: `"burst"` (default) fires them back to back, `"delay"` restarts the
 * period from the late tick, `"skip"` drops them and stays on the original grid.
 *
 * ```ts
 * const every = interval(100);
 * for (;;) { yield* every.tick(); yield* poll(); }
 * ```
 * @public
 */
export function interval(period: number, options: { missedTick?: MissedTickBehavior } = {}): Interval {
  checkMs("interval", period);
  if (period === 0) throw new RangeError("interval needs a period > 0 ms");
  const missed = options.missedTick ?? "burst";
  if (missed !== "burst" && missed !== "delay" && missed !== "skip") {
    throw new RangeError(`missedTick must be "burst", "delay" or "skip", not ${describeValue(missed)}`);
  }
  return new Interval(period, missed);
}

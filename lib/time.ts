// Time as futures: sleep, sleepUntil, timeout, interval and now. Each waits on one entry in
// its runtime's timer heap and removes that entry when dropped, so a cancelled or finished
// wait leaves nothing behind. Durations count from the first poll, in runtime-clock ms.

import { CancelledError, TimeoutError } from "./errors";
import type { JoinHandle } from "./handle";
import { READY_VOID } from "./futures";
import type { Body, Future } from "./poll";
import { Op, Poll, describeFuture, describeValue, isBody, isFuture } from "./poll";
import type { Runtime } from "./runtime";
import { runningHost, type TaskHost } from "./task";
import type { TimerEntry } from "./timer";
import type { Context, Waker } from "./waker";
import { addWaker } from "./waker";

function checkMs(what: string, ms: unknown): number {
  if (typeof ms !== "number" || Number.isNaN(ms) || ms < 0) {
    throw new RangeError(`${what} needs a duration in ms ≥ 0, not ${describeValue(ms)}`);
  }
  if (ms === Infinity) throw new RangeError(`${what}(Infinity) would never end: use pending() to wait forever`);
  return ms;
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
    if (Number.isNaN(this.deadline)) this.deadline = this.absolute ? this.ms : host.clock.now() + this.ms;
    return this.due(host, this.deadline, cx) ? READY_VOID : Poll.pending;
  }
  drop(): void {
    this.disarm();
  }
  describe(): string {
    if (this.absolute) return `sleepUntil(${this.ms})`;
    return Number.isNaN(this.deadline) ? `sleep(${this.ms})` : `sleep(${this.ms}) until t=${this.deadline}`;
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
  return new Sleep(deadline, true);
}

/** The running task's runtime clock, in ms. Throws outside a task. @public */
export function now(): number {
  return runningHost("now()").clock.now();
}

const RUNNING = 0;
const CANCELLING_TIMED_OUT = 1;
const CANCELLING_DROPPED = 2;

/**
 * `timeout(ms, body)`: the body's value if it finishes in time; otherwise the body is
 * cancelled (its finally blocks run to the end) and then `TimeoutError` is thrown.
 * A future body is polled inline; an operation runs as a child task the timeout owns.
 */
class Timeout<T> extends Timed<T> {
  private child: JoinHandle<T> | undefined = undefined;
  private phase = RUNNING;

  constructor(
    private readonly ms: number,
    private readonly body: Body<T>,
  ) {
    super();
  }

  poll(cx: Context): Poll<T> {
    const host = runningHost("timeout()");
    if (Number.isNaN(this.deadline)) {
      this.deadline = host.clock.now() + this.ms;
      if (!isFuture(this.body)) {
        this.child = (host.runtime as Runtime).spawn(this.body, { name: `timeout(${this.ms}) body` });
      }
    }
    const child = this.child;
    if (child === undefined) {
      // Inline: the inner future is polled first, so a ready value beats a due deadline.
      const inner = this.body as Future<T>;
      let p: Poll<T>;
      try {
        p = inner.poll(cx);
      } catch (error) {
        this.disarm();
        throw error;
      }
      if (p.ready) {
        this.disarm();
        return p;
      }
      if (!this.due(host, this.deadline, cx)) return Poll.pending;
      if (typeof inner.drop === "function") inner.drop();
      throw new TimeoutError(this.ms);
    }
    if (this.phase === RUNNING) {
      let p: Poll<T>;
      try {
        p = child.poll(cx);
      } catch (error) {
        this.disarm(); // the child failed: its error is ours, and the timer must not linger
        throw error;
      }
      if (p.ready) {
        this.disarm();
        return p;
      }
      if (!this.due(host, this.deadline, cx)) return Poll.pending;
      this.phase = CANCELLING_TIMED_OUT;
      child.abort();
    }
    // Cancelling the child: wait until its finally blocks have run.
    let p: Poll<T>;
    try {
      p = child.poll(cx);
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error; // a finally that threw wins
      if (this.phase === CANCELLING_TIMED_OUT) throw new TimeoutError(this.ms);
      return Poll.ready(undefined as T); // dropped: the driver delivers our own cancellation
    }
    if (!p.ready) return Poll.pending;
    // The child finished before it saw the abort: its value stands.
    return p;
  }

  drop(): boolean {
    this.disarm();
    const child = this.child;
    if (child === undefined) {
      const inner = this.body as Future<T>;
      return typeof inner.drop === "function" ? inner.drop() === true : false;
    }
    if (child.finished) return false;
    this.phase = CANCELLING_DROPPED;
    child.abort();
    return true; // poll me until the child has unwound
  }

  describe(): string {
    const inner = this.child !== undefined ? this.child.describe() : isFuture(this.body) ? describeFuture(this.body) : "an operation";
    return `timeout(${this.ms}) of ${inner}`;
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
    if (this.missedTick === "burst" || now < at + p) this.nextAt = at + p;
    else if (this.missedTick === "delay") this.nextAt = now + p;
    else this.nextAt = now + p - ((now - at) % p); // skip: back onto the original grid
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
    this.disarm();
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

// Time as futures: sleep, sleepUntil, interval and now. Each waits on one entry in its
// runtime's timer heap — the future is its own entry — shared by every task that polls it;
// the last waiter to leave disarms it, so a cancelled or finished wait leaves nothing behind.
// Durations count from the first poll, in runtime-clock ms.

import { driverOf, findDriver } from "./current";
import type { Driver } from "./driver";
import { formatMs } from "./format-ms";
import { READY_VOID } from "./futures";
import { Op, Poll, describeValue } from "./poll";
import type { TimerEntry } from "./timer";
import type { Context, Waker } from "./waker";
import { addWaiter, countWaiters, removeWaiter, wakeWaiters, type Waiters } from "./waiting";

export function checkMs(what: string, ms: unknown): number {
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
export function deadlineAfter(driver: Driver, ms: number): number {
  const t = driver.clock.now() + ms;
  return driver.clock.kind === "real" ? Math.ceil(t) : t;
}

/**
 * A future that waits on the runtime clock. It is its own timer entry (intrusive: arming
 * allocates nothing) and keeps its waiters itself, so a parked sleeper costs one object
 * beyond its task and generator, and a sleep shared by several tasks wakes them all.
 */
export abstract class Timed<T> extends Op<T> implements TimerEntry, Waiters {
  /**
   * The entry's deadline; -1 until the first poll fixes it (durations count from there). A
   * whole number from the start keeps the field a small integer: NaN made it a boxed double,
   * 16 B more per parked sleeper.
   */
  deadline = -1;
  seq = 0;
  index = -1;
  waiters: Waker | Waker[] | undefined = undefined;
  private driver: Driver | undefined = undefined;

  /** True once the clock reads `at` (the other waiters are woken to see it too); otherwise registers `cx` and arms the entry. */
  protected due(driver: Driver, at: number, cx: Context): boolean {
    if (driver.clock.now() >= at) {
      this.disarm();
      removeWaiter(this, cx.waker);
      wakeWaiters(this); // whoever else waits sees the deadline passed at its next poll
      return true;
    }
    addWaiter(this, cx.waker);
    if (this.index < 0 || this.deadline !== at) {
      this.disarm();
      this.driver = driver;
      driver.timers.arm(this, at);
    }
    return false;
  }

  /** The heap reached the deadline. */
  fire(): void {
    wakeWaiters(this);
  }

  protected disarm(): void {
    if (this.index >= 0) (this.driver as Driver).timers.disarm(this);
  }

  /** The waiter that polled with `cx` is gone; the last one to go disarms the timer. */
  drop(cx: Context): void {
    if (removeWaiter(this, cx.waker) && countWaiters(this) === 0) this.disarm();
  }

  /** {@link SleepFuture.isElapsed}. */
  isElapsed(): boolean {
    const d = this.driver;
    return d !== undefined && this.deadline >= 0 && d.clock.now() >= this.deadline;
  }

  /** {@link SleepFuture.reset}. */
  reset(deadline: number): void {
    if (typeof deadline !== "number" || !Number.isFinite(deadline) || deadline < 0) {
      throw new RangeError(`reset needs a deadline in ms ≥ 0 on the runtime clock, not ${describeValue(deadline)}`);
    }
    const armed = this.index >= 0;
    this.disarm();
    this.deadline = deadline;
    // Whoever waits polls again: it re-arms at the new deadline, or finds it passed.
    if (armed || this.waiters !== undefined) wakeWaiters(this);
  }
}

/**
 * What `sleep()` and `sleepUntil()` return: a future that can also be asked about, or moved,
 * like tokio's `Sleep`.
 * @public
 */
export interface SleepFuture extends Op<void> {
  /** The deadline on the runtime clock (ms); for `sleep(ms)`, -1 until the first poll fixes it. */
  readonly deadline: number;
  /** True once the runtime clock has reached the deadline (false before the first poll). */
  isElapsed(): boolean;
  /** Move the deadline to `deadline` (runtime ms), earlier or later, even while tasks wait on it. */
  reset(deadline: number): void;
}

/** `sleep(ms)`: the deadline is fixed at the first poll (a deadline is never negative). */
class Sleep extends Timed<void> implements SleepFuture {
  constructor(private readonly ms: number) {
    super();
  }
  poll(cx: Context): Poll<void> {
    const driver = driverOf(cx, "sleep()");
    if (this.deadline < 0) this.deadline = deadlineAfter(driver, this.ms);
    return this.due(driver, this.deadline, cx) ? READY_VOID : Poll.pending;
  }
  describe(): string {
    return this.deadline < 0 ? `sleep(${this.ms})` : `sleep(${this.ms}) until t=${formatMs(this.deadline)}`;
  }
}

/** `sleepUntil(at)`: a class of its own, so a sleep holds no "absolute" flag (8 B per sleeper). */
class SleepUntil extends Timed<void> implements SleepFuture {
  constructor(at: number) {
    super();
    this.deadline = at;
  }
  poll(cx: Context): Poll<void> {
    return this.due(driverOf(cx, "sleepUntil()"), this.deadline, cx) ? READY_VOID : Poll.pending;
  }
  describe(): string {
    return `sleepUntil(${formatMs(this.deadline)})`;
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
export function sleep(ms: number): SleepFuture {
  return new Sleep(checkMs("sleep", ms));
}

/** Wait until the runtime clock reads `deadline` (ms); ready at once if it already has. @public */
export function sleepUntil(deadline: number): SleepFuture {
  if (typeof deadline !== "number" || Number.isNaN(deadline)) {
    throw new RangeError(`sleepUntil needs a deadline in ms, not ${describeValue(deadline)}`);
  }
  if (!Number.isFinite(deadline)) throw new RangeError(`sleepUntil(${deadline}) would never end: use pending() to wait forever`);
  return new SleepUntil(deadline);
}

/** The running task's runtime clock, in ms. Throws outside a task. @public */
export function now(): number {
  return driverOf(undefined, "now()").clock.now();
}

/** What an interval does after ticks were missed (the task was busy past a tick). @public */
export type MissedTickBehavior = "burst" | "delay" | "skip";

/**
 * How late a tick may be and still count as on time: the next one stays on the grid whatever
 * the {@link MissedTickBehavior}. Host timers fire a millisecond or more late, so without it a
 * `"delay"` interval would drift on every tick (0, 100, 201, 302…). Tokio allows the same 5 ms.
 * @public
 */
export const TICK_TOLERANCE_MS = 5;

/**
 * A periodic timer: `tick()` is ready at once the first time, then every `period` ms.
 * Each tick evaluates to the time it was scheduled for. A tick late by at most
 * {@link TICK_TOLERANCE_MS} counts as on time; later ones follow {@link Interval.missedTick}.
 * @public
 */
export class Interval {
  private nextAt: number | undefined;
  /** A reset asked for outside any task (no clock to read): applied at the next poll. */
  private resetPending = false;
  private behavior: MissedTickBehavior;

  /** @internal Made by {@link interval} and {@link intervalAt}. */
  constructor(
    /** Milliseconds between ticks. */
    readonly period: number,
    missedTick: MissedTickBehavior,
    /** The first tick's time, when given (intervalAt); else the first poll's. */
    start?: number,
  ) {
    this.behavior = missedTick;
    this.nextAt = start;
  }

  /** What happens after missed ticks (see {@link MissedTickBehavior}); change it with {@link setMissedTickBehavior}. */
  get missedTick(): MissedTickBehavior {
    return this.behavior;
  }

  /** Change what happens after missed ticks, from the next tick on. */
  setMissedTickBehavior(behavior: MissedTickBehavior): void {
    this.behavior = checkMissed(behavior);
  }

  /** Wait for the next tick; evaluates to the tick's scheduled time. */
  tick(): Op<number> {
    return new Tick(this);
  }

  /**
   * Restart the schedule: the next tick is one period after this call (tokio's `reset`).
   * Called outside any task, where there is no clock to read, it counts from the next poll.
   */
  reset(): void {
    this.resetAfter(this.period);
  }

  /** The next tick is due now; the grid continues from there. */
  resetImmediately(): void {
    this.resetAfter(0);
  }

  /** The next tick is `ms` after this call; the grid continues from there. */
  resetAfter(ms: number): void {
    checkMs("Interval.resetAfter", ms);
    const d = findDriver(undefined);
    if (d === undefined) {
      this.nextAt = undefined;
      this.resetPending = true;
      this.pendingMs = ms;
      return;
    }
    this.resetPending = false;
    this.nextAt = d.clock.now() + ms;
  }

  /** The next tick is at `deadline` (a time on the runtime's clock, as `now()` gives it). */
  resetAt(deadline: number): void {
    if (typeof deadline !== "number" || Number.isNaN(deadline)) throw new TypeError(`Interval.resetAt needs a time in ms, not ${describeValue(deadline)}`);
    this.resetPending = false;
    this.nextAt = deadline;
  }

  private pendingMs = 0;

  /** @internal The deadline of the next tick, fixing the first one at `now`. */
  due(now: number): number {
    if (this.nextAt === undefined) {
      this.nextAt = this.resetPending ? now + this.pendingMs : now;
      this.resetPending = false;
    }
    return this.nextAt;
  }

  /** @internal Consume the tick scheduled at `at` (now ≥ at) and schedule the next. */
  take(at: number, now: number): void {
    const p = this.period;
    const b = this.behavior;
    if (b === "burst" || now - at <= TICK_TOLERANCE_MS) this.nextAt = at + p;
    else if (b === "delay") this.nextAt = now + p; // a late tick restarts the period
    else this.nextAt = now + p - ((now - at) % p); // skip: the next point of the original grid
  }
}

function checkMissed(missed: unknown): MissedTickBehavior {
  if (missed !== "burst" && missed !== "delay" && missed !== "skip") {
    throw new RangeError(`missedTick must be "burst", "delay" or "skip", not ${describeValue(missed)}`);
  }
  return missed;
}

class Tick extends Timed<number> {
  /** The tick this future took: every later poll (by any waiter) sees the same one. */
  private taken: Poll<number> | undefined = undefined;
  constructor(private readonly interval: Interval) {
    super();
  }
  poll(cx: Context): Poll<number> {
    if (this.taken !== undefined) return this.taken;
    const driver = driverOf(cx, "interval tick()");
    const now = driver.clock.now();
    const at = this.interval.due(now);
    if (!this.due(driver, at, cx)) return Poll.pending;
    this.interval.take(at, now);
    return (this.taken = Poll.ready(at));
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
  return new Interval(period, checkMissed(options.missedTick ?? "burst"));
}

/**
 * A periodic timer whose first tick is at `start` (a time on the runtime's clock, as `now()`
 * gives it; a start in the past ticks at once, then follows the missed-tick behavior).
 *
 * ```ts
 * const every = intervalAt(now() + 50, 100);   // ticks at 50, 150, 250…
 * ```
 * @public
 */
export function intervalAt(start: number, period: number, options: { missedTick?: MissedTickBehavior } = {}): Interval {
  if (typeof start !== "number" || Number.isNaN(start)) throw new TypeError(`intervalAt needs a start time in ms, not ${describeValue(start)}`);
  checkMs("intervalAt", period);
  if (period === 0) throw new RangeError("intervalAt needs a period > 0 ms");
  return new Interval(period, checkMissed(options.missedTick ?? "burst"), start);
}

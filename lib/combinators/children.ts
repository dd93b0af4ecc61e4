// The machinery every combinator shares: a set of children, each polled with its own waker,
// and a ready list of the children that woke. Invariant: a child is on the ready list at most
// once (its `queued` flag), and only children on it are polled, so a wake costs O(1) and a
// poll costs O(children that woke): the FuturesUnordered design of Rust's futures crate.
// The set keeps the wakers of everyone waiting on it (several tasks may share one combinator)
// and wakes them all, without forgetting them, whenever a child wakes: only drop(cx) removes one.

import { currentTask, driverOf, findDriver } from "../current";
import type { Driver } from "../driver";
import type { JoinHandle } from "../handle";
import type { NameSource } from "../task";
import type { Body, Future, Operation } from "../poll";
import { NOT_READY, describeFuture, describeValue, isBody, isFuture, valueOf } from "../poll";
import { RingQueue } from "../queue";
import type { Runtime } from "../runtime";
import type { Context, Waker } from "../waker";
import { RUNTIME, SimpleWaker } from "../waker";
import { addWaiter, countWaiters, removeWaiter, wakeEach, type Waiters } from "../waiting";

/**
 * The value a body produces: `ValueOf<Op<void>>` is `void`, `ValueOf<() => Generator<…, number>>`
 * is `number`, `ValueOf<JoinHandle<string>>` is `string`.
 * @public
 */
export type ValueOf<B> = B extends Future<infer T>
  ? T
  : B extends () => infer O
    ? ValueOfOperation<O>
    : ValueOfOperation<B>;

/** The value an operation returns (its iterator's return type). @public */
export type ValueOfOperation<O> = O extends {
  /** The walk `yield*` makes; its iterator's return type is the value. */
  [Symbol.iterator](): Iterator<unknown, infer T, never>
}
  ? T
  : never;

/** Checks every body eagerly, so a mistake is reported where it was made; `labels` name them (select's keys). */
export function checkBodies(bodies: readonly unknown[], who: string, labels: "argument" | "item" | readonly string[] = "argument"): void {
  for (let i = 0; i < bodies.length; i++) {
    const body = bodies[i];
    if (!isBody(body)) {
      const which = typeof labels === "string" ? `${labels} ${i}` : `branch ${JSON.stringify(labels[i])}`;
      throw new TypeError(`${who}: ${which} needs to be a generator function, an operation or a future, not ${describeValue(body)}`);
    }
  }
}

/** Turns `all`'s argument into an array, with a clear error for a non-iterable. */
export function bodiesOf(iterable: unknown, who: string): Body<unknown>[] {
  if (iterable === null || typeof iterable !== "object" || typeof (iterable as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new TypeError(`${who} needs an iterable of bodies (an array, a Set, a generator of them), not ${describeValue(iterable)}`);
  }
  const bodies = Array.from(iterable as Iterable<Body<unknown>>);
  checkBodies(bodies, who, "item");
  return bodies;
}

/** Polled when it wakes. Entered at birth; left when asked to stop or when it finishes. */
const LIVE = 0;
/** Asked to stop (its task aborted, or its future dropped with cleanup left): still polled, until it ends. */
const CANCELLING = 1;
/** Finished and handed over; wakes are ignored from now on. Terminal. */
const DONE = 2;

/**
 * One child: its future (the JoinHandle of a task the set owns, or a future polled inline), its
 * own waker and context, and its links in the set's list of unfinished children.
 */
export class Child extends SimpleWaker implements Context, NameSource {
  state = LIVE;
  /** On the ready list now: further wakes are absorbed until it is polled. */
  queued = false;
  /** Polled at least once (a drop before that has nothing to undo). */
  polled = false;
  prev: Child | undefined = undefined;
  next: Child | undefined = undefined;

  constructor(
    readonly set: ChildSet,
    /** The combinator's slot for it: position in `all`, branch in `select`; -1 when unused. */
    readonly index: number,
    public future: Future<unknown> | undefined,
    /** The task behind `future` when the set owns one: cancelling the child aborts it. */
    public task: JoinHandle<unknown> | undefined,
  ) {
    super();
  }

  get finished(): boolean {
    return this.state === DONE;
  }

  /** The name of its task, formatted only when asked (see ChildSet.naming). */
  taskName(): string {
    return (this.set.naming as (index: number) => string)(this.index);
  }

  get waker(): Waker {
    return this;
  }

  /** A child's Context carries the runtime of the task polling the combinator. */
  get [RUNTIME](): Driver | undefined {
    return this.set.driver;
  }

  wake(): void {
    if (this.queued || this.state === DONE) return;
    this.queued = true;
    const set = this.set;
    set.ready.push(this);
    set.wakeWaiters();
  }
}

/**
 * The children of one combinator (or of one JoinSet). Bodies that are futures are polled inline,
 * in the parent's task; generator functions and operations run as tasks the set owns.
 */
export class ChildSet implements Waiters {
  /** Children that woke and have not been polled since, oldest first. */
  readonly ready = new RingQueue<Child>(16);
  /** Everyone waiting on the combinator (see waiting.ts); kept across wakes, removed by drop(cx). */
  waiters: Waker | Waker[] | undefined = undefined;
  /** Names the child tasks from their index (`all[3]`), formatted only when a trace or report asks. */
  naming: ((index: number) => string) | undefined = undefined;
  /** Replaces waking the waiters (a disposed JoinSet reaps its orphans instead). */
  onWake: (() => void) | undefined = undefined;
  /** The runtime of the tasks polling the set, once one has. */
  driver: Driver | undefined = undefined;
  /** The first task that polled the combinator: it owns the child tasks (see {@link spawn}). */
  private owner: unknown = undefined;
  /** Children not yet finished. */
  live = 0;
  /** Of those, the futures polled inline (not tasks). */
  private inlineLive = 0;
  /** The outcome of the child {@link pollNext} just returned: `ok` with its value, or its error. */
  ok = false;
  out: unknown = undefined;
  /** The task id of that child, when it ran as a task (JoinSet outcomes carry it); else -1. */
  lastId = -1;
  private head: Child | undefined = undefined;
  private tail: Child | undefined = undefined;

  /** Register whoever polls now (one registration per waker), and learn the runtime from its Context. */
  listen(cx: Context): void {
    addWaiter(this, cx.waker);
    // Futures-only combinators run without a runtime (polled by hand); spawning asks for one.
    if (this.driver === undefined) this.driver = findDriver(cx);
    if (this.owner === undefined) this.owner = currentTask();
  }

  /** The waiter that polled with `cx` is gone; true when nobody waits any more. */
  leave(cx: Context): boolean {
    removeWaiter(this, cx.waker);
    return countWaiters(this) === 0;
  }

  /** A child woke: every waiter should poll again (registrations stay: only drop(cx) removes one). */
  wakeWaiters(): void {
    if (this.onWake !== undefined) this.onWake();
    else wakeEach(this);
  }

  /** Forget every waiter (the combinator has delivered its outcome). */
  forgetWaiters(): void {
    this.waiters = undefined;
  }

  /** The runtime children are spawned on: the one of the task that asked first. */
  runtimeFor(who: string): Runtime {
    if (this.driver === undefined) {
      if (currentTask() === undefined) throw new Error(`${who} must be used inside a wakeful task: it starts tasks on that task's runtime`);
      this.driver = driverOf(undefined, who);
    }
    return this.driver.runtime as Runtime;
  }

  /**
   * For spawns that may come from any task (JoinSet, scope): refuse one from a task of another
   * runtime, whose tasks could never be joined from here.
   */
  checkRuntime(who: string): void {
    const t = currentTask();
    if (this.driver === undefined || t === undefined) return;
    if (t.host !== this.driver) throw new Error(`${who}: this set's tasks run on another runtime than the calling task's`);
  }

  /** Add `body`: a future is polled inline (first at the next poll), anything else runs as a task. */
  add(body: Body<unknown>, index: number, name: string | undefined, who: string): Child {
    if (isFuture(body)) {
      const child = this.link(new Child(this, index, body, undefined));
      this.inlineLive++;
      child.queued = true; // born on the ready list: its first poll arranges its wake-up
      this.ready.push(child);
      return child;
    }
    return this.spawn(body, index, name, who);
  }

  /**
   * Run `body` as a task this set owns. With `owned` (a combinator, not a JoinSet), the task
   * polling the combinator owns the child: cancelling that task cancels the child through the
   * combinator, so shutdown() leaves it to its owner, and a shield around the owner keeps it running.
   */
  spawn(body: Body<unknown> | Operation<unknown>, index: number, name: string | undefined, who: string, owned = true): Child {
    const runtime = this.runtimeFor(who);
    const child = new Child(this, index, undefined, undefined);
    const handle = runtime.spawnOwned(body, name ?? (this.naming !== undefined ? child : undefined), owned ? this.owner : undefined);
    child.future = handle;
    child.task = handle;
    this.link(child);
    // The task has not run yet, so this poll only registers the child's waker with it, and
    // marks the task joined: its error is ours to deliver, not an unobserved failure.
    handle.poll(child);
    return child;
  }

  /**
   * Take the oldest child off the ready list and poll it. Returns it when it has just finished
   * (its outcome in `ok` / `out`); undefined when it is still pending, or had finished already.
   */
  pollNext(): Child | undefined {
    const child = this.ready.shift() as Child;
    child.queued = false; // before the poll: a wake during it queues the child again
    if (child.state === DONE) return undefined;
    const future = child.future as Future<unknown>;
    this.lastId = child.task !== undefined ? child.task.id : -1;
    child.polled = true;
    try {
      const v = valueOf(future, child); // by value: no Poll object per finished child
      if (v === NOT_READY) return undefined;
      this.ok = true;
      this.out = v;
    } catch (error) {
      this.ok = false;
      this.out = error;
    }
    this.finish(child, this.ok);
    return child;
  }

  /**
   * Ask one child to stop. A task is aborted (it ends when its finally blocks have run); an
   * inline future is dropped, and if its `drop()` asks for more polls it is polled on until it
   * ends. Returns an error thrown by `drop()` (the child is then finished), else undefined.
   */
  cancel(child: Child): unknown {
    if (child.state !== LIVE) return undefined;
    child.state = CANCELLING;
    const task = child.task;
    if (task !== undefined) {
      task.abort();
      return undefined;
    }
    const future = child.future as Future<unknown>;
    let more = false;
    try {
      more = child.polled && typeof future.drop === "function" && future.drop(child) === true;
    } catch (error) {
      this.finish(child);
      return error;
    }
    if (more) child.wake(); // poll it again, as the driver does after a drop() that returns true
    else this.finish(child);
    return undefined;
  }

  /** {@link cancel} every unfinished child but `except`, in the order they were added; errors from `drop()` go to `errors`. */
  cancelAll(errors: unknown[], except?: Child): void {
    let child = this.head;
    while (child !== undefined) {
      const next = child.next; // cancel may unlink it
      if (child.state === LIVE && child !== except) {
        const error = this.cancel(child);
        if (error !== undefined) errors.push(error);
      }
      child = next;
    }
  }

  /**
   * Words for the inline futures still running (tasks describe themselves in reports). Looks at
   * no more than a few children: traces and `step()` describe a parked task at every poll, so
   * this must not cost O(children).
   */
  describeInline(limit = 3): string {
    if (this.inlineLive === 0) return "";
    const parts: string[] = [];
    let looked = 0;
    for (let c = this.head; c !== undefined && parts.length < limit && looked < 4 * limit; c = c.next, looked++) {
      if (c.task === undefined) parts.push(describeFuture(c.future));
    }
    const more = this.inlineLive - parts.length;
    if (parts.length === 0) return ` (${more} future${more === 1 ? "" : "s"})`;
    return ` (${parts.join(", ")}${more > 0 ? `, and ${more} more` : ""})`;
  }

  private link(child: Child): Child {
    const tail = this.tail;
    child.prev = tail;
    if (tail !== undefined) tail.next = child;
    else this.head = child;
    this.tail = child;
    this.live++;
    return child;
  }

  /**
   * An inline child's value was discarded (not part of the outcome, or the outcome is not
   * delivered): its future is dropped once more, now that it completed, so it gives back what
   * it took (a message, a guard, permits). Errors thrown by that drop go to `errors`.
   */
  giveBack(child: Child, errors: unknown[]): void {
    const future = child.future;
    if (future === undefined || child.task !== undefined) return;
    child.future = undefined;
    try {
      if (typeof future.drop === "function") future.drop(child);
    } catch (error) {
      errors.push(error);
    }
  }

  /** The waiter that polled with `cx` leaves a finished combinator; true when it had received the outcome and was the last such. */
  leaveServed(cx: Context): boolean {
    return removeWaiter(this, cx.waker) && countWaiters(this) === 0;
  }

  /** The outcome was delivered: forget every waiter but `cx`'s, which was served it (see {@link leaveServed}). */
  served(cx: Context): void {
    this.waiters = cx.waker;
  }

  /** `keep`: an inline future that completed keeps its future, for {@link giveBack}. */
  private finish(child: Child, keep = false): void {
    if (child.task === undefined) this.inlineLive--;
    child.state = DONE;
    if (!keep || child.task !== undefined) child.future = undefined;
    child.task = undefined;
    const { prev, next } = child;
    if (prev !== undefined) prev.next = next;
    else this.head = next;
    if (next !== undefined) next.prev = prev;
    else this.tail = prev;
    child.prev = child.next = undefined;
    this.live--;
  }
}

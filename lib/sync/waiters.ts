// The waiter queue every lock and signal is built on: a FIFO of waiter futures, each standing for
// the tasks parked on it until its primitive grants it something (permits, a lock, a notification).
// A waiter is a QueuedFuture (shared-future.ts has its states): in the queue while its waiters
// wait, GRANTED when the primitive serves it, and when its last waiter is dropped it gives back
// exactly what it took (nothing, or its whole grant). Also the helpers every primitive shares:
// ids and labels, argument checks, and the words of reports (who holds, who waits).
//
// FIFO fairness holds because only the primitive grants, always from the head (or, for
// notifyLast, the tail), and a new waiter may bypass the queue only when the primitive says so.

import { currentTask, type RunningTask } from "../current";
import { touch } from "../footprint";
import { NOT_READY, type Poll, describeValue } from "../poll";
import { QUEUED, QueuedFuture } from "./shared-future";

/**
 * `Symbol.dispose`, or a registered stand-in on hosts that lack it, so guards and permits
 * always have a dispose method (TypeScript's `using` needs the real `Symbol.dispose`).
 */
export const DISPOSE: typeof Symbol.dispose = (Symbol.dispose ?? Symbol.for("Symbol.dispose")) as typeof Symbol.dispose;

/**
 * A primitive that tasks hold and wait on, seen from outside: enough for a deadlock report or a
 * test to draw the wait-for graph (task → the resource it waits on → the tasks holding it).
 * @public
 */
export interface Resource {
  /** Unique per kind within the process, in creation order (`Mutex#2`). */
  readonly id: number;
  /** The name given in the constructor options, if any. */
  readonly name: string | undefined;
  /** `Mutex#2`, or `Mutex#2 "accounts"` when named. */
  readonly label: string;
  /**
   * Ids of the tasks holding it now (a lock's owner, a semaphore's permit holders), in the order
   * they took it, each once. A hold taken outside any task is not listed.
   */
  readonly holders: readonly number[];
  /** Ids of the tasks queued on it, in FIFO order (the next to be served first). */
  readonly waiting: readonly number[];
}

/** A task as a waiter or a lock remembers it: the running task object, read only for reports. */
export type TaskRef = RunningTask & { readonly name?: string | undefined; readonly finished?: boolean };

/** The task being polled now, or undefined outside any task. */
export function runningTask(): TaskRef | undefined {
  return currentTask() as TaskRef | undefined;
}

/** `task #4`, `task #4 "worker"`, and a note when the task ended while still holding something. */
export function describeTask(t: TaskRef): string {
  const name = typeof t.name === "string" ? ` "${t.name}"` : "";
  return `task #${t.id}${name}${t.finished === true ? " (finished without releasing it)" : ""}`;
}

/** `held by task #4`, `held by tasks #2, #3`, `held outside any task`; "" when nobody holds it. */
export function describeHolders(holders: readonly (TaskRef | undefined)[], verb = "held"): string {
  const tasks: TaskRef[] = [];
  let outside = false;
  for (const h of holders) {
    if (h === undefined) outside = true;
    else if (!tasks.includes(h)) tasks.push(h);
  }
  const parts: string[] = [];
  if (tasks.length === 1) parts.push(describeTask(tasks[0] as TaskRef));
  else if (tasks.length > 1) parts.push("tasks " + tasks.map((t) => describeTask(t).slice("task ".length)).join(", "));
  if (outside) parts.push("code outside any task");
  return parts.length === 0 ? "" : `${verb} by ${parts.join(" and ")}`;
}

/** Unique task ids of `refs`, in order, skipping holds taken outside any task. */
export function taskIds(refs: Iterable<TaskRef | undefined>): number[] {
  const ids: number[] = [];
  for (const r of refs) if (r !== undefined && !ids.includes(r.id)) ids.push(r.id);
  return ids;
}

const lastId = new Map<string, number>();

/** The id and label of a new primitive of `kind`, after checking its options. */
export function identify(kind: string, options: { name?: string } | undefined): { id: number; name: string | undefined; label: string } {
  if (options !== undefined && (options === null || typeof options !== "object")) {
    throw new TypeError(`${kind} options must be an object such as { name: "accounts" }, not ${describeValue(options)}`);
  }
  const name = options?.name;
  if (name !== undefined && typeof name !== "string") throw new TypeError(`a ${kind} name must be a string, not ${describeValue(name)}`);
  const id = (lastId.get(kind) ?? 0) + 1;
  lastId.set(kind, id);
  return { id, name, label: name === undefined ? `${kind}#${id}` : `${kind}#${id} "${name}"` };
}

/**
 * Run `wake` on each item `next()` hands out until it hands out none. A wake that throws (a
 * waker of user code) does not stop the loop: every one is woken, then the first error is
 * rethrown. For every wake-all loop: notifyWaiters, a close, a channel's end.
 */
export function wakeEvery<W>(next: () => W | undefined, wake: (w: W) => void): void {
  let failed = false;
  let first: unknown = undefined;
  for (let w = next(); w !== undefined; w = next()) {
    try {
      wake(w);
    } catch (error) {
      if (!failed) first = error;
      failed = true;
    }
  }
  if (failed) throw first;
}

/** The whole number `n` must be, or a RangeError naming `what` and the value. */
export function checkCount(what: string, n: unknown, min: number): number {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < min) {
    throw new RangeError(`${what} must be a whole number ≥ ${min}, not ${describeValue(n)}`);
  }
  return n;
}

/**
 * The base of every lock and signal: its id and label (checked options), its FIFO of waiters,
 * and the report of who holds and who waits. A primitive that hands out holds (a lock, a
 * semaphore) says who holds it; a signal is held by nobody.
 * @public
 */
export abstract class Primitive<W extends Waiter<unknown>> implements Resource {
  readonly id: number;
  readonly name: string | undefined;
  readonly label: string;
  /** @internal The waiters, oldest first. */
  readonly queue: WaiterQueue<W>;

  /** @internal */
  constructor(kind: string, options: { name?: string } | undefined, queue: WaiterQueue<W> = new WaiterQueue<W>()) {
    const { id, name, label } = identify(kind, options);
    this.id = id;
    this.name = name;
    this.label = label;
    this.queue = queue;
  }

  /** Ids of the tasks holding it, in the order they took it (none for a signal). */
  get holders(): readonly number[] {
    return [];
  }

  /** Ids of the tasks queued on it, in FIFO order. */
  get waiting(): readonly number[] {
    return this.queue.taskIds();
  }

  toString(): string {
    return this.label;
  }
}

/**
 * A wait on a lock or signal: a future that a {@link WaiterQueue} serves in FIFO order.
 * Subclasses say what the first poll may take at once (`begin`), what to do when a queued waiter
 * leaves (`left`), and how to return a grant nobody observed (`giveBack`).
 *
 * Several tasks may wait on one such future: it takes one place in the queue, and every one of
 * them receives what it is granted (the same guard, the same permit). Cancel safety comes from
 * `drop(cx)`: when the last of its waiters is cancelled it leaves the queue, or hands on a grant
 * none of them observed.
 *
 * ```ts
 * const fut = mutex.lock();              // a Waiter: nothing happens until polled
 * fut instanceof Waiter && fut.resource; // the Mutex it waits on (holders, waiting)
 * ```
 * @public
 */
export abstract class Waiter<T> extends QueuedFuture<T> {
  // Assigned in the constructor, not initialized where declared: see SharedFuture (speed).
  /** @internal Neighbours in the queue while QUEUED. */
  declare prevWaiter: Waiter<unknown> | undefined;
  /** @internal */
  declare nextWaiter: Waiter<unknown> | undefined;
  /** @internal What it was granted, until a waiter collects it. */
  declare grant: T | undefined;
  /** @internal The task that first polled it (for reports); undefined before that, or when polled outside any task. */
  declare task: TaskRef | undefined;

  constructor(private readonly queue: WaiterQueue<Waiter<unknown>>) {
    super();
    this.prevWaiter = undefined;
    this.nextWaiter = undefined;
    this.grant = undefined;
    this.task = undefined;
  }

  /** The primitive this waiter waits on. */
  abstract readonly resource: Resource;

  /** The id of the task waiting, once it has polled (undefined outside any task). */
  get taskId(): number | undefined {
    return this.task?.id;
  }

  /** True while it sits in its primitive's queue. */
  get queued(): boolean {
    return this.state === QUEUED;
  }

  /** First poll: Ready if it can be served at once without overtaking anyone; Pending to queue. May throw (a closed primitive). */
  protected abstract begin(): Poll<T>;

  /** A queued waiter left without being served: the primitive may now serve those behind it. */
  protected left(): void {}

  /** A grant its task never observed: hand it on (to the next waiter, or back to the primitive). */
  protected giveBack(grant: T): void {
    void grant;
  }

  /** A grant collected, then dropped by every waiter that received it: handed on as one never collected. */
  protected override returned(grant: T): void {
    this.giveBack(grant);
  }

  /** @internal */
  protected tryNow(): T | typeof NOT_READY {
    this.task = runningTask();
    const p = this.begin();
    return p.ready ? p.value : NOT_READY;
  }

  protected enqueue(): void {
    this.queue.push(this);
  }

  protected dequeue(): void {
    this.queue.unlink(this);
    this.left();
  }

  /** @internal */
  protected collect(): T {
    const grant = this.grant as T;
    this.grant = undefined;
    return grant;
  }

  protected unclaimed(): void {
    const grant = this.grant as T;
    this.grant = undefined;
    this.giveBack(grant);
  }
}

/**
 * A FIFO of queued {@link Waiter}s, as an intrusive doubly linked list: push, unlink and grant
 * are O(1) and allocate nothing, so a cancelled waiter leaves in constant time. The building
 * block of every lock and signal here, and of your own:
 *
 * ```ts
 * class Gate implements Resource {            // opens once; everyone waiting passes
 *   readonly queue = new WaiterQueue<Pass>();
 *   open() { for (let w = this.queue.first(); w; w = this.queue.first()) this.queue.grant(w, undefined); }
 *   // …id, name, label, holders, waiting
 * }
 * class Pass extends Waiter<void> {           // begin(): Poll.pending queues it until granted
 *   protected begin() { return Poll.pending; }
 * }
 * ```
 * @experimental
 */
export class WaiterQueue<W extends Waiter<unknown>> {
  private head: W | undefined = undefined;
  private tail: W | undefined = undefined;
  /** Number of queued waiters. */
  length = 0;

  /** The oldest queued waiter (the next to serve). */
  first(): W | undefined {
    touch(this); // partial-order reduction: serving reads the queue
    return this.head;
  }

  /** The newest queued waiter. */
  last(): W | undefined {
    return this.tail;
  }

  /** @internal Queue `w` at the back (done by Waiter.poll). */
  push(w: W): void {
    touch(this);
    w.prevWaiter = this.tail;
    w.nextWaiter = undefined;
    if (this.tail === undefined) this.head = w;
    else this.tail.nextWaiter = w;
    this.tail = w;
    this.length++;
  }

  /** @internal Take `w` out, wherever it is. */
  unlink(w: W): void {
    touch(this);
    const prev = w.prevWaiter as W | undefined;
    const next = w.nextWaiter as W | undefined;
    if (prev === undefined) this.head = next;
    else prev.nextWaiter = next;
    if (next === undefined) this.tail = prev;
    else next.prevWaiter = prev;
    w.prevWaiter = w.nextWaiter = undefined;
    this.length--;
  }

  /** Serve the queued waiter `w` with `grant`: it leaves the queue and its task is woken. */
  grant<T>(w: W & Waiter<T>, grant: T): void {
    this.unlink(w);
    w.grant = grant;
    w.granted();
  }

  /** Fail every queued waiter: each leaves the queue, is woken, and throws `error(w)` when polled. */
  close(error: (w: W) => unknown): void {
    wakeEvery(
      () => this.head,
      (w) => {
        this.unlink(w);
        w.ended(undefined, error(w));
      },
    );
  }

  /** The queued waiters, oldest first (a snapshot, for reports). */
  toArray(): W[] {
    const out: W[] = [];
    for (let w = this.head; w !== undefined; w = w.nextWaiter as W | undefined) out.push(w);
    return out;
  }

  /** How many queued waiters are ahead of `w` (−1 when `w` is not queued here). For reports. */
  ahead(w: Waiter<unknown>): number {
    let k = 0;
    for (let x = this.head; x !== undefined; x = x.nextWaiter as W | undefined, k++) if (x === w) return k;
    return -1;
  }

  /** Ids of the queued tasks, FIFO order. */
  taskIds(): number[] {
    return taskIds(this.toArray().map((w) => w.task));
  }
}

// JoinSet<T>: a growable set of tasks whose outcomes are taken as they finish (tokio's JoinSet).
// Each task is polled with its own waker, so taking the next outcome costs O(1) however many
// run. Invariant: every outcome is handed over once — by joinNext/tryJoinNext/joinAll, thrown by
// shutdown/dispose, or (after dispose) reported to the runtime like a detached task's failure.

import { CancelledError } from "../errors";
import type { JoinHandle } from "../handle";
import type { Body } from "../poll";
import { Op, Poll, describeValue, isBody } from "../poll";
import type { Runtime, SpawnOptions } from "../runtime";
import type { Context } from "../waker";
import { type Child, ChildSet } from "./children";
import { Combinator } from "./combinator";

let nextSetId = 1;

/**
 * One outcome of a {@link JoinSet}: the task's id (its handle's `id`) and the value it returned.
 * `joinNext()` gives `undefined` only when the set is empty, so a task returning `undefined`
 * is `{ id, value: undefined }`, never mistaken for the end.
 * @public
 */
export interface JoinOutcome<T> {
  /** The finished task's id: the `id` of the handle `spawn` (or `spawnAll`) returned for it. */
  readonly id: number;
  /** What the task returned. */
  readonly value: T;
}

/**
 * A set of tasks, joined in the order they finish.
 *
 * ```ts
 * using set = new JoinSet<number>();
 * for (const url of urls) set.spawn(fetchSize(url));
 * let total = 0;
 * for (let r; (r = yield* set.joinNext()) !== undefined; ) total += r.value;
 * ```
 *
 * **Aborted before it started.** A task aborted (by `abortAll`, `shutdown`, dispose or its
 * handle) before its first step never runs its body, so its `finally` blocks never run either:
 * a channel `Sender` (or a guard) created outside and moved into its closure is never closed,
 * and whoever waits on the other end waits forever. JavaScript has no drop to do it for you.
 * Create such a resource inside the task (`const tx = txParent.clone()` as its first line, then
 * `try … finally { tx.close() }`), or close the outer one yourself after `shutdown()`.
 *
 * **Lifetime.** JavaScript has no destructor, so letting go of a JoinSet does not stop its
 * tasks (tokio's drop does). Dispose it instead — `using set = new JoinSet()` or
 * `set[Symbol.dispose]()`: every task still in it is aborted; failures already in are thrown
 * from the dispose; tasks still unwinding finish in the background, and an error their finally
 * blocks throw is reported by the runtime like a detached task's failure. A set that is neither
 * drained nor disposed keeps its tasks running after the task that owns it has finished, and
 * keeps their outcomes: drain it, `shutdown()` it, or dispose it.
 * @public
 */
export class JoinSet<T> implements Disposable {
  /** @internal The tasks in the set, and the wakers of whoever waits on joinNext / joinAll / shutdown; replaced by a fresh set on dispose. */
  children = new ChildSet();
  /** Names the set in descriptions: `JoinSet#2`. */
  readonly id = nextSetId++;

  /**
   * Start `body` as a task in this set (on the runtime of the calling task) and return its
   * handle; its outcome is taken with joinNext. Aborting the handle makes joinNext throw its
   * `CancelledError`, as tokio's join_next returns a cancelled JoinError.
   */
  spawn(body: Body<T>, options?: SpawnOptions): JoinHandle<T> {
    if (!isBody(body)) throw new TypeError(`JoinSet.spawn() needs a generator function, an operation or a future, not ${describeValue(body)}`);
    this.children.checkRuntime("JoinSet.spawn()");
    // Not owned by the spawning task: the set's tasks are the set's, and shutdown() reaches them.
    return this.children.spawn(body, -1, options?.name, "JoinSet.spawn()", false).task as JoinHandle<T>;
  }

  /** Tasks in the set: running, or finished with an outcome not yet taken. */
  get size(): number {
    return this.children.live;
  }

  /**
   * The next task to finish, in finishing order, as `{ id, value }`; its error is thrown here (a
   * task aborted with abortAll throws its `CancelledError`). `undefined` once the set is empty,
   * and only then (tokio's `join_next_with_id`; a task that returns `undefined` is an outcome).
   *
   * ```ts
   * for (let r; (r = yield* set.joinNext()) !== undefined; ) console.log(r.id, r.value);
   * ```
   */
  joinNext(): Op<JoinOutcome<T> | undefined> {
    return new JoinNext(this);
  }

  /**
   * joinNext without waiting: `{ id, value }` of a task that has already finished, else
   * `undefined` (empty, or nothing finished yet: {@link size} tells them apart).
   */
  tryJoinNext(): JoinOutcome<T> | undefined {
    return this.take() ? this.outcome() : undefined;
  }

  /**
   * Start every body as a task in this set (tokio's `JoinSet: FromIterator` / `extend`); their handles, in order.
   *
   * ```ts
   * set.spawnAll(urls.map((u) => fetchSize(u)));
   * ```
   */
  spawnAll(bodies: Iterable<Body<T>>): JoinHandle<T>[] {
    const out: JoinHandle<T>[] = [];
    for (const body of bodies) out.push(this.spawn(body));
    return out;
  }

  /**
   * Let go of every task without aborting it: they run on as detached tasks (their failures are
   * reported by the runtime), and the set is empty. Outcomes already in the set are dropped with it.
   */
  detachAll(): void {
    const set = this.children;
    if (set.live === 0) return;
    const runtime = set.runtimeFor("JoinSet.detachAll()");
    set.onWake = () => reapOrphans(set, runtime);
    if (set.ready.length > 0) reapOrphans(set, runtime);
    this.children = new ChildSet();
  }

  /** @internal The outcome {@link take} just took. */
  outcome(): JoinOutcome<T> {
    return { id: this.children.lastId, value: this.children.out as T };
  }

  /**
   * Wait for every task; their values in finishing order. The first error aborts the others and
   * is thrown once they have finished (tokio's join_all). The set is empty afterwards.
   */
  joinAll(): Op<T[]> {
    return new JoinAll<T>(this);
  }

  /** Abort every task in the set. They stay in it until joined: their finally blocks run first. */
  abortAll(): void {
    this.children.cancelAll([]);
  }

  /**
   * Abort every task and wait until all have finished (their finally blocks ran). Values are
   * discarded; errors other than cancellation are thrown (an `AggregateError` for several).
   */
  shutdown(): Op<void> {
    return new Shutdown(this);
  }

  /**
   * Abort every task still in the set and let go of them: the set is empty (and reusable)
   * afterwards. Failures already in the set are thrown from here; tasks still unwinding finish in
   * the background and the runtime reports an error their cleanup throws.
   */
  [Symbol.dispose](): void {
    const set = this.children;
    if (set.live === 0) return;
    const errors: unknown[] = [];
    while (set.ready.length > 0) {
      if (set.pollNext() !== undefined && !set.ok && !(set.out instanceof CancelledError)) errors.push(set.out);
    }
    set.cancelAll(errors);
    if (set.live > 0) {
      const runtime = set.runtimeFor("JoinSet dispose");
      set.onWake = () => reapOrphans(set, runtime);
    }
    this.children = new ChildSet();
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `JoinSet#${this.id}: ${errors.length} tasks had failed and were never joined`);
  }

  /** @internal Take one finished task: true with its value in `children.out`, its error thrown, or false if none has finished. */
  take(): boolean {
    const set = this.children;
    while (set.ready.length > 0) {
      if (set.pollNext() === undefined) continue;
      if (set.ok) return true;
      throw set.out;
    }
    return false;
  }

  /** @internal */
  describeSize(): string {
    const n = this.children.live;
    return `JoinSet#${this.id} of ${n} task${n === 1 ? "" : "s"}`;
  }
}

/**
 * The wake hook of a disposed set's tasks: as each finishes unwinding, an error other than
 * cancellation is handed to the runtime through a task that joins it and so fails with it
 * (nobody joins that task, so run() or onTaskError reports the error).
 */
function reapOrphans(set: ChildSet, runtime: Runtime): void {
  while (set.ready.length > 0) {
    const handle = (set.ready.peek() as Child).task;
    if (set.pollNext() === undefined || set.ok || set.out instanceof CancelledError) continue;
    runtime.spawn(handle as JoinHandle<unknown>, { name: `task #${(handle as JoinHandle<unknown>).id} of a disposed JoinSet` });
  }
}

class JoinNext<T> extends Op<JoinOutcome<T> | undefined> {
  /** Handed over an outcome already: polling again would take a second task's. */
  private done = false;

  constructor(private readonly set: JoinSet<T>) {
    super();
  }

  poll(cx: Context): Poll<JoinOutcome<T> | undefined> {
    const set = this.set;
    const children = set.children;
    if (this.done) throw new Error(`${this.describe()} was polled again after it completed: call joinNext() for each task`);
    children.listen(cx);
    this.done = true; // also when take() throws a task's error
    try {
      if (set.take()) return Poll.ready(set.outcome());
      if (children.live === 0) return Poll.ready(undefined);
      this.done = false;
    } finally {
      if (this.done) children.leave(cx); // handed over (or threw): stop being woken by the set
    }
    return Poll.pending;
  }

  drop(cx: Context): void {
    this.set.children.leave(cx);
  }

  describe(): string {
    return `joinNext on ${this.set.describeSize()}`;
  }
}

/** joinAll: the set's tasks as the children of an all() that collects in finishing order. */
class JoinAll<T> extends Combinator<T[]> {
  protected readonly who = "JoinSet.joinAll()";
  private readonly results: T[] = [];

  constructor(private readonly set: JoinSet<T>) {
    super(set.children);
  }

  protected start(): void {}

  protected settled(_child: Child, ok: boolean, out: unknown): void {
    if (ok) this.results.push(out as T);
    else this.reject(out);
  }

  protected completed(): T[] {
    return this.results;
  }

  describe(): string {
    return `joinAll on ${this.set.describeSize()}${this.windingDown}`;
  }
}

/** shutdown: abort everything at the first poll, then wait like a combinator that has decided. */
class Shutdown extends Combinator<void> {
  protected readonly who = "JoinSet.shutdown()";

  constructor(private readonly set: JoinSet<unknown>) {
    super(set.children);
  }

  protected start(): void {
    this.resolve(undefined);
  }

  protected settled(): void {}

  protected completed(): void {}

  describe(): string {
    return `shutdown of ${this.set.describeSize()}`;
  }
}

// scope(function* (s) { … }): structured concurrency. Tasks spawned with `s.spawn` cannot
// outlive the scope: it returns the body's value only once every child has finished; the first
// failure (of the body or of a child) cancels everything left in it and is rethrown.

import { CancelledError } from "../errors";
import type { JoinHandle } from "../handle";
import type { Body, Op, Operation } from "../poll";
import { describeValue, isBody } from "../poll";
import type { SpawnOptions } from "../runtime";
import type { Child } from "./children";
import { Combinator } from "./combinator";

/**
 * The permission to start tasks inside a {@link scope}, handed to its body.
 * @public
 */
export class Scope {
  /** @internal Made by scope(). */
  constructor(private readonly op: ScopeOp<unknown>) {}

  /**
   * Start `body` as a task of this scope. The scope waits for it; if it fails (with anything but
   * a `CancelledError`), the scope cancels every other task in it, the body included, and
   * rethrows its error. The handle joins or aborts it like any task's; aborting it does not fail
   * the scope. Tasks started while the scope is being cancelled are cancelled at once.
   */
  spawn<T>(body: Body<T>, options?: SpawnOptions): JoinHandle<T> {
    return this.op.spawnChild(body, options) as JoinHandle<T>;
  }

  /** Cancel every task started in the scope (not the body); the scope still waits for them to unwind. */
  abortAll(): void {
    this.op.abortChildren();
  }

  /** Tasks started in the scope that have not finished (the body not counted). */
  get size(): number {
    return this.op.childCount;
  }
}

/** @internal The future behind scope(); its body runs as a task, like every child. */
export class ScopeOp<T> extends Combinator<T> {
  protected readonly who = "scope()";
  private readonly scope = new Scope(this as ScopeOp<unknown>);
  private main: Child | undefined = undefined;
  private bodyValue: T | undefined = undefined;

  constructor(private body: ((s: Scope) => Operation<T>) | undefined) {
    super();
  }

  protected start(): void {
    const body = this.body as (s: Scope) => Operation<T>;
    this.body = undefined;
    const op = body(this.scope);
    if (!isBody(op) || typeof op === "function") {
      throw new TypeError(`scope() needs a generator function (function* (s) { … }), but it returned ${describeValue(op)}`);
    }
    this.main = this.children.spawn(op, 0, "scope body", this.who);
  }

  protected settled(child: Child, ok: boolean, out: unknown): void {
    if (child === this.main) {
      if (ok) this.bodyValue = out as T;
      else this.reject(out);
    } else if (!ok && !(out instanceof CancelledError)) {
      this.reject(out);
    }
  }

  protected completed(): T {
    return this.bodyValue as T;
  }

  spawnChild(body: Body<unknown>, options: SpawnOptions | undefined): JoinHandle<unknown> {
    if (this.ended) throw new Error("this scope has ended: a task cannot outlive its scope (spawn it from the enclosing task instead)");
    if (!isBody(body)) throw new TypeError(`scope spawn() needs a generator function, an operation or a future, not ${describeValue(body)}`);
    this.children.checkRuntime("scope spawn()");
    const child = this.children.spawn(body, 1, options?.name, "scope spawn()");
    const handle = child.task as JoinHandle<unknown>;
    if (!this.running) this.children.cancel(child); // the scope is winding down: nothing new may start
    return handle;
  }

  abortChildren(): void {
    this.children.cancelAll([], this.main);
  }

  get childCount(): number {
    return this.children.live - (this.bodyRunning ? 1 : 0);
  }

  private get bodyRunning(): boolean {
    return this.main !== undefined && !this.main.finished;
  }

  describe(): string {
    const n = this.childCount;
    const body = this.bodyRunning ? ", body running" : "";
    return `scope with ${n} ${n === 1 ? "child" : "children"}${body}${this.windingDown}`;
  }
}

/**
 * Structured concurrency: run `body` with a {@link Scope} whose `spawn` starts tasks that cannot
 * outlive it. The scope returns the body's value once the body **and every task spawned in it**
 * have finished (it waits for them, like a Trio nursery or Kotlin's coroutineScope).
 *
 * - The first failure, of the body or of any task in it, cancels everything left in the scope,
 *   and is rethrown once their finally blocks have run. (A task that ends with `CancelledError`,
 *   e.g. one you aborted through its handle, is not a failure.)
 * - Leaving early cancels what is left: when the body throws, or when the task waiting on the
 *   scope is cancelled (aborted, or losing a race or a timeout), every task in the scope is
 *   cancelled and waited for. To stop the children yourself and return, call `s.abortAll()`.
 *
 * ```ts
 * const total = yield* scope(function* (s) {
 *   const a = s.spawn(count("a.txt"));
 *   const b = s.spawn(count("b.txt"));
 *   return (yield* a) + (yield* b);
 * });
 * ```
 * @public
 */
export function scope<T>(body: (s: Scope) => Operation<T>): Op<T> {
  if (typeof body !== "function") throw new TypeError(`scope() needs a generator function (function* (s) { … }), not ${describeValue(body)}`);
  return new ScopeOp(body);
}

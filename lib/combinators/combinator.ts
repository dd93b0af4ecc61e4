// The life of a combinator future, shared by all, join, race, select, scope and the JoinSet's
// joinAll/shutdown: start the children at the first poll, hear each one finish, decide an
// outcome, cancel the rest, and return only once every child has finished (their finally blocks
// have run). Invariant: no child error is dropped: it decides the outcome or is thrown with it.
//
//   NEW ──first poll──► RUNNING ──a child decides (resolve / reject)──► CLOSING ──┐
//                          │  └──every child finished, nobody decided──► DONE ◄──┤ last child
//                          └──drop(): the waiting task was cancelled──► DROPPING ┘ finished

import { CancelledError } from "../errors";
import { Op, Poll } from "../poll";
import type { Context } from "../waker";
import { type Child, ChildSet } from "./children";

/** Not polled yet: nothing started. */
const NEW = 0;
/** Children run; each one that finishes goes to `settled`. */
const RUNNING = 1;
/** The outcome is decided; waiting for the cancelled children to finish. */
const CLOSING = 2;
/** The task waiting on us was cancelled; waiting for the cancelled children to finish. */
const DROPPING = 3;
/** Finished: the outcome is kept, so a poll after the end answers the same. */
const DONE = 4;

export abstract class Combinator<T> extends Op<T> {
  private phase = NEW;
  private value: T | undefined = undefined;
  /** The deciding error first (if one decided), then errors other than cancellation thrown while the rest wound down. */
  private errors: unknown[] | undefined = undefined;
  /** True when `errors[0]` decided the outcome (reject), rather than surfacing during cancellation. */
  private decidedByError = false;

  constructor(protected readonly children: ChildSet = new ChildSet()) {
    super();
  }

  /** Add the children. Called once, inside the first poll (so inside a task). */
  protected abstract start(): void;
  /** A child finished while RUNNING: `ok` with its value, or its error. May call resolve / reject. */
  protected abstract settled(child: Child, ok: boolean, out: unknown): void;
  /** Every child finished while RUNNING and none decided: the value. */
  protected abstract completed(): T;
  /** The name used in errors: `all()`, `race()`. */
  protected abstract readonly who: string;

  /** Register interest in the children's wakes (a JoinSet fans out to several waiters instead). */
  protected listen(cx: Context): void {
    this.children.listen(cx);
  }

  /** The outcome is `value`; cancel the other children and wait for them. */
  protected resolve(value: T): void {
    this.value = value;
    this.close();
  }

  /** The outcome is `error`; cancel the other children and wait for them. */
  protected reject(error: unknown): void {
    (this.errors ??= []).unshift(error);
    this.decidedByError = true;
    this.close();
  }

  /** True while children run and no outcome is decided. */
  protected get running(): boolean {
    return this.phase === RUNNING;
  }

  /** True once the outcome was delivered: no child can join any more. */
  protected get ended(): boolean {
    return this.phase === DONE;
  }

  /** Words for describe(): empty while running, else what the combinator is waiting for. */
  protected get windingDown(): string {
    const p = this.phase;
    if (p === CLOSING || p === DROPPING) return `, cancelling ${this.children.live} left`;
    return p === DONE ? ", finished" : "";
  }

  poll(cx: Context): Poll<T> {
    this.listen(cx);
    const set = this.children;
    if (this.phase === NEW) {
      this.phase = RUNNING;
      try {
        this.start();
      } catch (error) {
        this.reject(error); // e.g. a body that is no body: cancel whatever was already started
      }
    }
    if (this.phase === DONE) return this.conclude();
    // Only the children that woke, and only those on the list now: one that wakes itself
    // during its poll waits for our next poll (we were woken too), so a poll always ends.
    for (let n = set.ready.length; n > 0; n--) {
      const child = set.pollNext();
      if (child === undefined) continue;
      if (this.phase === RUNNING) this.settled(child, set.ok, set.out);
      else if (!set.ok && !(set.out instanceof CancelledError)) (this.errors ??= []).push(set.out);
    }
    if (set.live > 0) return Poll.pending;
    if (this.phase === RUNNING) this.value = this.completed();
    this.phase = DONE;
    return this.conclude();
  }

  /**
   * The task waiting on us was cancelled: cancel every child and, while any still unwinds, ask
   * the driver to keep polling (`true`). Errors other than cancellation that children throw
   * meanwhile are thrown at the end, replacing the task's cancellation.
   */
  drop(): boolean {
    const p = this.phase;
    if (p === NEW || p === DONE) {
      this.phase = DONE;
      return false;
    }
    this.phase = DROPPING;
    this.value = undefined;
    const errors: unknown[] = [];
    this.children.cancelAll(errors);
    if (errors.length > 0) (this.errors ??= []).push(...errors);
    if (this.children.live > 0) return true;
    this.phase = DONE;
    if (this.errors !== undefined) this.conclude(); // throws
    return false;
  }

  private close(): void {
    this.phase = CLOSING;
    const errors: unknown[] = [];
    this.children.cancelAll(errors);
    if (errors.length > 0) (this.errors ??= []).push(...errors);
  }

  private conclude(): Poll<T> {
    const errors = this.errors;
    if (errors === undefined) return Poll.ready(this.value as T);
    if (errors.length > 1) {
      const why = this.decidedByError
        ? "the first decided the outcome; the others were thrown while the remaining children were cancelled"
        : "thrown while its children were cancelled";
      this.errors = [new AggregateError(errors, `${this.who}: ${errors.length} errors (${why})`)]; // a later poll throws the same object
    }
    throw this.errors?.[0];
  }
}

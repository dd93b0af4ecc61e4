// The life of a combinator future, shared by all, join, race, select, scope, timeout and the
// JoinSet's joinAll/shutdown: start the children at the first poll, hear each one finish, decide
// an outcome, cancel the rest, and return only once every child has finished (their finally
// blocks have run). Invariant: no child error is dropped: it decides the outcome or is thrown with it.
//
//   NEW ──first poll──► RUNNING ──a child decides (resolve / reject)──► CLOSING ──┐
//                          │  └──every child finished, nobody decided──► DONE ◄──┤ last child
//                          └──drop(cx) by the last waiter ──────────► DROPPING ┘ finished
//
// Dropped while CLOSING, the combinator keeps its decision: the driver drains it (drop → true)
// and the waiting task receives the value decided before its cancellation (rule 8). Dropped
// while RUNNING, nothing was decided: once the children have unwound it throws CancelledError.

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
/** Every waiter left before an outcome was decided; waiting for the cancelled children to finish. */
const DROPPING = 3;
/** Finished: the outcome is kept, so a poll after the end answers the same. */
const DONE = 4;

export abstract class Combinator<T> extends Op<T> {
  private phase = NEW;
  /** True once DROPPING ended: nothing was decided, the outcome is a cancellation. */
  private dropped = false;
  private value: T | undefined = undefined;
  /** The deciding error first (if one decided), then errors other than cancellation thrown while the rest wound down. */
  protected errors: unknown[] | undefined = undefined;
  /** True when `errors[0]` decided the outcome (reject), rather than surfacing during cancellation. */
  private decidedByError = false;
  /** Inline children that completed with a value while RUNNING: given back if the outcome holding their values is not delivered. */
  private kept: Child[] | undefined = undefined;

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

  /** After the ready children were handled in a poll, still RUNNING: a last word (timeout's grace). */
  protected afterPoll(_cx: Context): void {}

  /**
   * A child finished while the rest wind down (CLOSING or DROPPING). By default an error other
   * than cancellation is kept, to be thrown with the outcome; a subclass may decide otherwise.
   */
  protected unwound(_child: Child, ok: boolean, out: unknown): void {
    if (!ok && !(out instanceof CancelledError)) (this.errors ??= []).push(out);
  }

  /** Replace the deciding error (timeout: a body whose cleanup threw is reported as that error). */
  protected redecide(error: unknown): void {
    this.errors = [error];
    this.decidedByError = true;
  }

  /**
   * Whether a decision survives the last waiter leaving (rule 8: a value decided before the
   * cancellation is delivered). Timeout's own TimeoutError is no outcome worth delivering.
   */
  protected keepsDecision(): boolean {
    return true;
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
    const set = this.children;
    set.listen(cx);
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
      if (this.phase === RUNNING) {
        if (set.ok && child.task === undefined) (this.kept ??= []).push(child);
        this.settled(child, set.ok, set.out);
      } else {
        if (set.ok) this.discard(child); // completed while cancelled: its value is in no outcome
        this.unwound(child, set.ok, set.out);
      }
    }
    if (this.phase === RUNNING && set.live > 0) this.afterPoll(cx);
    if (set.live > 0) return Poll.pending;
    if (this.phase === RUNNING) this.value = this.completed();
    this.dropped = this.phase === DROPPING;
    this.phase = DONE;
    set.served(cx);
    if (this.dropped || this.errors !== undefined) this.giveBackKept();
    return this.conclude();
  }

  /**
   * The waiter that polled with `cx` is gone. While others still wait, nothing changes. When the
   * last one goes: an undecided combinator cancels every child; a decided one keeps its decision.
   * Either way, while children still unwind, the driver is asked to keep polling (`true`).
   */
  drop(cx: Context): boolean {
    const p = this.phase;
    if (p === DONE) {
      // Dropped after it completed by the last waiter it served: the value was not used, so the
      // children whose values make it up give back what they took.
      if (this.children.leaveServed(cx) && !this.dropped && this.errors === undefined) this.giveBackKept();
      return false;
    }
    if (!this.children.leave(cx) || p === NEW) return false;
    if (p === CLOSING) {
      if (this.keepsDecision()) return true; // decided: the next polls deliver the decision once the rest unwound
      if (this.decidedByError) this.errors?.shift(); // forget the decision, keep errors from the unwinding
      if (this.errors?.length === 0) this.errors = undefined;
      this.decidedByError = false;
      this.phase = DROPPING;
    }
    if (p === RUNNING) {
      this.phase = DROPPING;
      const errors: unknown[] = [];
      this.children.cancelAll(errors);
      if (errors.length > 0) (this.errors ??= []).push(...errors);
    }
    if (this.children.live > 0) return true;
    // Every child ended at once (inline futures dropped with nothing left to undo).
    this.dropped = true;
    this.phase = DONE;
    this.giveBackKept();
    if (this.errors !== undefined) this.conclude(); // throws: an error surfaced while cancelling
    return false;
  }

  /** Give back what a completed inline child took; an error doing so is thrown with the outcome. */
  private discard(child: Child): void {
    const errors: unknown[] = [];
    this.children.giveBack(child, errors);
    if (errors.length > 0) (this.errors ??= []).push(...errors);
  }

  /** The outcome holding the kept children's values is not delivered: each gives back what it took. */
  private giveBackKept(): void {
    const kept = this.kept;
    if (kept === undefined) return;
    this.kept = undefined;
    for (const child of kept) this.discard(child);
  }

  private close(): void {
    this.phase = CLOSING;
    const errors: unknown[] = [];
    this.children.cancelAll(errors);
    if (errors.length > 0) (this.errors ??= []).push(...errors);
  }

  private conclude(): Poll<T> {
    const errors = this.errors;
    if (errors === undefined) {
      if (this.dropped) throw new CancelledError(`${this.who} was cancelled before it decided`);
      return Poll.ready(this.value as T);
    }
    if (errors.length > 1) {
      const why = this.decidedByError
        ? "the first decided the outcome; the others were thrown while the remaining children were cancelled"
        : "thrown while its children were cancelled";
      this.errors = [new AggregateError(errors, `${this.who}: ${errors.length} errors (${why})`)]; // a later poll throws the same object
    }
    throw this.errors?.[0];
  }
}

// Requests to the driver to push a frame on the task's own frame stack: `call(body)` (resume
// costs O(1) at any depth, where native `yield*` resumes through every enclosing generator and
// ~10k levels overflow the JS stack) and `shield(body)` (the frame runs to its end even if the
// task is cancelled meanwhile: rule 8). The driver recognises a request by a registered brand.

import type { Body, Future, Operation, Poll } from "./poll";
import { iteratorOf } from "./poll";

/** The brand the driver checks on every yielded value: "push this body as a frame". */
export const FRAME = Symbol.for("wakeful.frame");

/** How a pushed frame behaves: an ordinary call, or a shield against cancellation. */
export type FrameKind = "call" | "shield";

/**
 * The request `call()` and `shield()` yield: "push this body as a new frame, and resume me with
 * its result". It is its own one-step iterator, like a future walked by `yield*`.
 */
export class FrameRequest<T> implements Future<never>, Iterator<Future<unknown>, T, unknown> {
  private state = 0; // 0: not yet yielded · 1: yielded, waiting for the result · 2: done
  readonly [FRAME]: FrameKind;

  constructor(
    private readonly body: Body<T>,
    kind: FrameKind,
  ) {
    this[FRAME] = kind;
  }

  /** The frame to push: the body's iterator (a function body is called now, lazily). */
  start(): Iterator<unknown, unknown, unknown> {
    return iteratorOf(this.body, `${this[FRAME]}()`);
  }

  /** Not a future to poll: only a wakeful task's driver knows what to do with it. */
  poll(): Poll<never> {
    throw new TypeError(`${this[FRAME]}() must be used with yield* inside a wakeful task; it cannot be polled as a future`);
  }

  describe(): string {
    return `${this[FRAME]}()`;
  }

  next(value?: unknown): IteratorResult<Future<unknown>, T> {
    if (this.state === 0) {
      this.state = 1;
      return { done: false, value: this };
    }
    this.state = 2;
    return { done: true, value: value as T };
  }

  throw(error: unknown): IteratorResult<Future<unknown>, T> {
    this.state = 2;
    throw error;
  }

  return(value?: unknown): IteratorResult<Future<unknown>, T> {
    this.state = 2;
    return { done: true, value: value as T };
  }

  [Symbol.iterator](): Iterator<Future<unknown>, T, unknown> {
    return this.state === 0 ? this : new FrameRequest(this.body, this[FRAME]);
  }
}

/** The kind of frame `value` asks for, or undefined when it is no frame request. */
export function frameKind(value: unknown): FrameKind | undefined {
  return value !== null && typeof value === "object" ? (value as { [FRAME]?: FrameKind })[FRAME] : undefined;
}

/**
 * Run `body` as a new frame on the current task's frame stack and evaluate to its result.
 * Behaves like `yield* body` (errors, cancellation and `finally` blocks pass through it the
 * same way) but resuming costs O(1) at any depth:
 *
 * ```ts
 * function* depth(n: number): Operation<number> {
 *   return n === 0 ? 0 : 1 + (yield* call(() => depth(n - 1)));
 * }
 * ```
 * @public
 */
export function call<T>(body: Body<T>): Operation<T> {
  return new FrameRequest(body, "call");
}

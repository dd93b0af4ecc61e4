// `call(body)`: run an operation on the task's own frame stack instead of nesting native
// `yield*`. Native delegation resumes through every enclosing generator (O(depth) per resume,
// and ~10k levels overflow the JS stack); a call frame is pushed on an array the driver owns,
// so resuming costs O(1) at any depth and a million-deep recursion works.

import type { Body, Future, Operation } from "./poll";
import { iteratorOf } from "./poll";

/**
 * The request `call()` yields to the driver: "push this body as a new frame, and resume me
 * with its result". The driver recognises it by class; user code never sees it.
 */
export class CallRequest<T> implements Iterator<unknown, T, unknown> {
  private state = 0; // 0: not yet yielded · 1: yielded, waiting for the result · 2: done
  constructor(private readonly body: Body<T>) {}

  /** The frame to push: the body's iterator (a function body is called now, lazily). */
  start(): Iterator<unknown, unknown, unknown> {
    return iteratorOf(this.body, "call()");
  }

  next(value?: unknown): IteratorResult<unknown, T> {
    if (this.state === 0) {
      this.state = 1;
      return { done: false, value: this };
    }
    this.state = 2;
    return { done: true, value: value as T };
  }

  throw(error: unknown): IteratorResult<unknown, T> {
    this.state = 2;
    throw error;
  }

  return(value?: unknown): IteratorResult<unknown, T> {
    this.state = 2;
    return { done: true, value: value as T };
  }

  [Symbol.iterator](): Iterator<unknown, T, unknown> {
    return this.state === 0 ? this : new CallRequest(this.body);
  }
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
  return new CallRequest(body) as unknown as { [Symbol.iterator](): Iterator<Future<unknown>, T, unknown> };
}

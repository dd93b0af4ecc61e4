// A task's frame stack: the generator the driver resumes and the frames below it, pushed by
// `call()` and `shield()`. Resuming walks the stack: a finished frame pops and hands its
// result (value, error, or a `return()` completion while cancelling) to the frame below.
// Invariant: `shieldAt` is the depth of the outermost shield frame on the stack, or -1; every
// frame at that depth or above runs as if its task were not cancelled.

import { frameKind, type FrameRequest } from "./call";
import { Op } from "./poll";

/** The fields a task embeds for its frames (intrusive: no object per task). */
export interface FrameStack {
  /** The frame the driver resumes; undefined before the first step and after the end. */
  top: Iterator<unknown, unknown, unknown> | undefined;
  /** The frames below `top`, bottom first; undefined until the first push. */
  below: Iterator<unknown, unknown, unknown>[] | undefined;
  /** Depth of the outermost shield frame (the bottom frame has depth 0), or -1. */
  shieldAt: number;
}

/** Resume the top frame with a value. */
export const NEXT = 0;
/** Throw an error into the top frame at its yield. */
export const THROW = 1;
/** Call `return()` on the top frame at its yield (a cancelled task's yield, rule 8). */
export const RETURN = 2;

/** The top frame yielded a value: {@link takeResult} has it. */
export const YIELDED = 0;
/** The bottom frame returned: {@link takeResult} has the value. */
export const RETURNED = 1;
/** The bottom frame threw: {@link takeResult} has the error. */
export const THREW = 2;

/** What {@link resume} produced: one module slot rather than a result object per resume. */
let result: unknown = undefined;

/** True while a shield frame is on the stack. */
export function isShielded(s: FrameStack): boolean {
  return s.shieldAt >= 0;
}

/**
 * Resume the stack with `mode` (NEXT, THROW, RETURN) and `arg` until a frame yields something
 * other than a frame request, or the bottom frame finishes. Frame requests push their body as a
 * new frame; a frame that finishes pops and resumes the one below: with its value, its error,
 * or — after a `return()` completion — with `return()` again, so a cancelled task unwinds every
 * driver-owned frame and no `catch` sees it.
 */
export function resume(s: FrameStack, mode: number, arg: unknown): number {
  for (;;) {
    const it = s.top as Iterator<unknown, unknown, unknown>;
    let r: IteratorResult<unknown, unknown>;
    try {
      if (mode === NEXT) {
        r = it.next(arg);
      } else if (mode === THROW) {
        if (typeof it.throw !== "function") {
          if (typeof it.return === "function") it.return();
          throw arg;
        }
        r = it.throw(arg);
      } else {
        r = typeof it.return === "function" ? it.return(undefined) : { done: true, value: undefined };
      }
      if (r === null || typeof r !== "object") {
        throw new TypeError(`an iterator's next() returned ${String(r)}, not an IteratorResult object`);
      }
    } catch (error) {
      if (!pop(s)) {
        result = error;
        return THREW;
      }
      mode = THROW;
      arg = error;
      continue;
    }
    if (r.done === true) {
      if (!pop(s)) {
        result = r.value;
        return RETURNED;
      }
      if (mode !== RETURN) {
        mode = NEXT;
        arg = r.value;
      }
      continue;
    }
    const y = r.value;
    // A wakeful future is never a frame request: one prototype walk instead of a symbol lookup
    // on every yielded value (a miss that costs a megamorphic load per yield).
    const kind = y instanceof Op ? undefined : frameKind(y);
    if (kind === undefined) {
      result = y;
      return YIELDED;
    }
    let frame: Iterator<unknown, unknown, unknown>;
    try {
      frame = (y as FrameRequest<unknown>).start();
    } catch (error) {
      mode = THROW;
      arg = error;
      continue;
    }
    const below = (s.below ??= []);
    below.push(it);
    if (kind === "shield" && s.shieldAt < 0) s.shieldAt = below.length;
    s.top = frame;
    mode = NEXT;
    arg = undefined;
  }
}

/** Drop the top frame; false when it was the bottom one. Leaving the outermost shield unshields. */
function pop(s: FrameStack): boolean {
  const below = s.below;
  if (below === undefined || below.length === 0) return false;
  if (below.length === s.shieldAt) s.shieldAt = -1;
  s.top = below.pop();
  return true;
}

/** Forget every frame (the task has finished). */
export function clear(s: FrameStack): void {
  s.top = undefined;
  s.below = undefined;
  s.shieldAt = -1;
}

/** Take the value {@link resume} left behind, so the slot keeps nothing alive. */
export function takeResult(): unknown {
  const r = result;
  result = undefined;
  return r;
}

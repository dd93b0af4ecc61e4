// Barrier: n tasks meet; the n-th to arrive releases the others and is the generation's leader.
// Invariant: the tasks that arrived in the current generation are exactly its queued waiters (the
// leader never queues), so the count is the queue's length and a cancelled waiter uncounts itself
// by leaving the queue.

import { Poll } from "../poll";
import type { Op } from "../poll";
import { Primitive, Waiter, checkCount, wakeEvery } from "./waiters";

/** What {@link Barrier.wait} returns: `leader` is true for exactly one task per generation. @public */
export interface BarrierWaitResult {
  /** True for the task whose arrival completed the generation (it did not wait); false for the tasks it released. */
  readonly leader: boolean;
}

const LEADER: BarrierWaitResult = Object.freeze({ leader: true });
const FOLLOWER: BarrierWaitResult = Object.freeze({ leader: false });
const READY_LEADER: Poll<BarrierWaitResult> = Object.freeze(Poll.ready(LEADER));

/** Options of a {@link Barrier}. @public */
export interface BarrierOptions {
  /** Shown in deadlock reports: `Barrier#1 "phase 1"`. */
  name?: string;
}

/**
 * A meeting point for `n` tasks, reusable: each `wait()` parks until `n` waits have arrived in
 * the current generation; the last to arrive is the leader (`{ leader: true }`) and releases the
 * others (`{ leader: false }`), and the next `n` waits form the next generation.
 *
 * ```ts
 * const start = new Barrier(3);
 * for (let i = 0; i < 3; i++) spawn(function* () {
 *   const { leader } = yield* start.wait();
 *   if (leader) console.log("all three arrived");
 * });
 * ```
 *
 * A waiter cancelled before its generation completes is no longer counted: the barrier then
 * waits for another task to take its place. (tokio keeps counting a cancelled wait, which can
 * release the others with fewer than `n` tasks actually there; wakeful does not.) A waiter
 * cancelled after its generation completed has nothing to give back.
 * @public
 */
export class Barrier extends Primitive<BarrierWait> {
  /** How many tasks each generation needs. */
  readonly parties: number;
  private gen = 0;

  /** @param n tasks per generation, a whole number ≥ 1 */
  constructor(n: number, options?: BarrierOptions) {
    checkCount("new Barrier(n): n", n, 1);
    super("Barrier", options);
    this.parties = n;
  }

  /**
   * Arrive and wait for the rest of this generation. One `wait()` future is one arrival, however
   * many tasks await it (each of them gets its result).
   *
   * ```ts
   * const { leader } = yield* barrier.wait();
   * ```
   */
  wait(): Op<BarrierWaitResult> {
    return new BarrierWait(this);
  }

  /** Tasks waiting in the current generation (fewer than `parties`). */
  get arrived(): number {
    return this.queue.length;
  }

  /** Generations completed so far. */
  get generation(): number {
    return this.gen;
  }




  /** @internal The leader arrived: release this generation's waiters and start the next. */
  complete(): void {
    this.gen++;
    wakeEvery(
      () => this.queue.first(),
      (w) => this.queue.grant(w, FOLLOWER),
    ); // a waker that throws stops nobody
  }
}

/** One task's arrival at a Barrier. */
class BarrierWait extends Waiter<BarrierWaitResult> {
  constructor(private readonly barrier: Barrier) {
    super(barrier.queue);
  }

  get resource(): Barrier {
    return this.barrier;
  }

  protected begin(): Poll<BarrierWaitResult> {
    const b = this.barrier;
    if (b.queue.length + 1 < b.parties) return Poll.pending; // Waiter.poll queues it
    b.complete();
    return READY_LEADER;
  }

  describe(): string {
    const b = this.barrier;
    return this.queued ? `wait on ${b.label} (${b.arrived} of ${b.parties} arrived)` : `wait on ${b.label}`;
  }
}

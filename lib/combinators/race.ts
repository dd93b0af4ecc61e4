// race(a, b, …): the outcome of the first body to finish. Invariant: the losers are cancelled
// and race returns only after every loser has finished (its finally blocks ran to the end).

import type { Body, Op } from "../poll";
import { checkBodies, type Child, type ValueOf } from "./children";
import { Combinator } from "./combinator";

class Race<T> extends Combinator<T> {
  protected readonly who = "race()";
  private readonly n: number;

  constructor(private bodies: Body<unknown>[] | undefined) {
    super();
    this.n = bodies === undefined ? 0 : bodies.length;
  }

  protected start(): void {
    const bodies = this.bodies as Body<unknown>[];
    this.bodies = undefined;
    this.children.naming = (i) => `race[${i}]`;
    for (let i = 0; i < bodies.length; i++) this.children.add(bodies[i] as Body<unknown>, i, undefined, this.who);
  }

  protected settled(_child: Child, ok: boolean, out: unknown): void {
    if (ok) this.resolve(out as T);
    else this.reject(out);
  }

  protected completed(): T {
    // Unreachable: the first child to finish decides, and there is at least one.
    throw new Error("race() finished without a winner");
  }

  describe(): string {
    return `race of ${this.n}${this.windingDown}${this.children.describeInline()}`;
  }
}

/**
 * The first body to finish wins: its value is returned, or its error thrown. The others are
 * cancelled, and race returns only once their finally blocks have run to the end.
 *
 * Futures (a `recv()`, a `sleep()`) are polled inline: a loser that was not yet polled ready is
 * dropped untouched, so a message it could have taken stays in its channel. Cancel safety: a
 * `recv()`, `lock()` or `acquire()` that completed but whose value is not delivered (a loser in
 * the same instant, or the race itself discarded) gives it back: the message returns to the
 * front of its channel, the guard unlocks, the permits return. A loser running as a task (a
 * generator function) may have finished in the same instant: its value is discarded, so such a
 * body gives back what it holds in its `finally`. (docs/CANCEL-SAFETY.md has the table.)
 *
 * ```ts
 * const msg = yield* race(rx.recv(), function* () { yield* sleep(100); return undefined; });
 * ```
 * @public
 */
export function race<const B extends readonly Body<unknown>[]>(...bodies: B): Op<ValueOf<B[number]>>;
/** Not a form race() accepts (it throws): declared so that the type error says what to write. */
export function race(wrongForm: "race() takes the bodies as separate arguments: race(a, b), or race(...array)"): never;
export function race(...bodies: unknown[]): Op<unknown> {
  if (bodies.length === 1 && Array.isArray(bodies[0])) throw new TypeError("race() takes the bodies as separate arguments: race(a, b), or race(...array) for an array");
  if (bodies.length === 0) throw new RangeError("race() needs at least one body: a race of none would never finish");
  checkBodies(bodies, "race()");
  return new Race<unknown>(bodies.slice() as Body<unknown>[]);
}

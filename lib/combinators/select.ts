// select({ key: body, … }): race with names. The first branch to finish gives `{ key, value }`
// (or throws its error); the other branches are cancelled and waited for.

import type { Body, Op } from "../poll";
import { describeValue } from "../poll";
import { checkBodies, type Child, type ValueOf } from "./children";
import { Combinator } from "./combinator";

/** Which branch of a {@link select} won, and its value: one variant per key. @public */
export type Selected<M> = { [K in keyof M]: { readonly key: K; readonly value: ValueOf<M[K]> } }[keyof M];

class Select<R> extends Combinator<R> {
  protected readonly who = "select()";

  constructor(
    private readonly keys: string[],
    private bodies: Body<unknown>[] | undefined,
  ) {
    super();
  }

  protected start(): void {
    const bodies = this.bodies as Body<unknown>[];
    this.bodies = undefined;
    const keys = this.keys;
    this.children.naming = (i) => `select.${keys[i]}`;
    for (let i = 0; i < bodies.length; i++) this.children.add(bodies[i] as Body<unknown>, i, undefined, this.who);
  }

  protected settled(child: Child, ok: boolean, out: unknown): void {
    if (ok) this.resolve({ key: this.keys[child.index], value: out } as R);
    else this.reject(out);
  }

  protected completed(): R {
    throw new Error("select() finished without a winner"); // unreachable: the first to finish decides
  }

  describe(): string {
    return `select of ${this.keys.length} (${this.keys.join(", ")})${this.windingDown}${this.children.describeInline()}`;
  }
}

/**
 * Race named branches: `{ key, value }` of the first to finish (typed per key), or its error
 * thrown. Order is biased, never random: the first poll tries the branches in key order, and
 * later polls try those that woke in the order they woke, so when several are ready at once
 * the earlier key (or the earlier wake) wins, and a seeded test replays it exactly. Put the
 * branch that must not starve (a shutdown signal) first. The other branches are cancelled and waited for, as in {@link race}, with the same
 * cancel safety: a `recv()`, `lock()` or `acquire()` branch whose value is not delivered gives it back.
 *
 * ```ts
 * const r = yield* select({ msg: rx.recv(), tick: every.tick(), quit: stop.notified() });
 * if (r.key === "msg") handle(r.value);
 * ```
 * @public
 */
export function select<M extends Record<string, Body<unknown>>>(branches: M): Op<Selected<M>> {
  if (Array.isArray(branches) || arguments.length > 1) {
    throw new TypeError("select() takes one object of named branches: select({ a: bodyA, b: bodyB }); race(a, b) takes unnamed bodies");
  }
  if (branches === null || typeof branches !== "object") {
    throw new TypeError(`select() needs an object of named bodies ({ key: body, … }), not ${describeValue(branches)}`);
  }
  const keys = Object.keys(branches);
  if (keys.length === 0) throw new RangeError("select() needs at least one branch: a select of none would never finish");
  const bodies = keys.map((k) => branches[k] as Body<unknown>);
  checkBodies(bodies, "select()", keys);
  return new Select<Selected<M>>(keys, bodies);
}

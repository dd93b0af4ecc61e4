// select({ key: body, … }): race with names. The first branch to finish gives `{ key, value }`
// (or throws its error); the other branches are cancelled and waited for. With an `else`, a
// branch that ends with `undefined` (a closed channel's recv) is disabled instead, and `else`
// runs once every branch is (tokio's `select!` with patterns and `else`).

import type { Body, Op } from "../poll";
import { describeValue } from "../poll";
import { checkBodies, type Child, type ValueOf } from "./children";
import { Combinator } from "./combinator";

/** Which branch of a {@link select} won, and its value: one variant per key. @public */
export type Selected<M> = {
  [K in keyof M]: {
    /** The key of the branch that finished first. */
    readonly key: K;
    /** What that branch returned. */
    readonly value: ValueOf<M[K]>
  }
}[keyof M];

/** The options of {@link select}. @public */
export interface SelectOptions<E> {
  /**
   * tokio's `else` branch. With it, a branch that finishes with `undefined` (a `recv()` on a
   * closed channel, a `changed()` of a dropped watch) is disabled rather than winning; once every
   * branch is disabled, `else` runs and the select gives `{ key: "else", value }`. An error still
   * decides at once.
   */
  readonly else: Body<E>;
}

class Select<R> extends Combinator<R> {
  protected readonly who = "select()";

  /** Branches that ended with `undefined` while an `else` waits for all of them. */
  private disabled = 0;

  constructor(
    private readonly keys: string[],
    private bodies: Body<unknown>[] | undefined,
    private readonly orElse: Body<unknown> | undefined,
  ) {
    super();
  }

  protected start(): void {
    const bodies = this.bodies as Body<unknown>[];
    this.bodies = undefined;
    const keys = this.keys;
    this.children.naming = (i) => (i < keys.length ? `select.${keys[i]}` : "select.else");
    for (let i = 0; i < bodies.length; i++) this.children.add(bodies[i] as Body<unknown>, i, undefined, this.who);
  }

  protected settled(child: Child, ok: boolean, out: unknown): void {
    const keys = this.keys;
    if (!ok) return this.reject(out);
    if (child.index === keys.length) return this.resolve({ key: "else", value: out } as R);
    if (out !== undefined || this.orElse === undefined) return this.resolve({ key: keys[child.index], value: out } as R);
    // A disabled branch: the others go on; when none is left, the else branch runs.
    if (++this.disabled < keys.length) return;
    this.children.add(this.orElse, keys.length, undefined, this.who);
    this.children.wakeWaiters(); // poll again: the else branch was added after this poll's ready list was counted
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
 * // tokio's `Some(v) = rx.recv() => …, else => …`: closed channels are skipped until all are
 * const s = yield* select({ a: rxA.recv(), b: rxB.recv() }, { else: ready("both closed") });
 * ```
 * @public
 */
export function select<M extends Record<string, Body<unknown>>>(branches: M): Op<Selected<M>>;
export function select<M extends Record<string, Body<unknown>>, E>(branches: M, options: SelectOptions<E>): Op<Selected<M> | {
  /** `"else"`: every branch was disabled, so the `else` body ran. */
  readonly key: "else";
  /** What the `else` body returned. */
  readonly value: E
}>;
export function select<M extends Record<string, Body<unknown>>>(branches: M, options?: SelectOptions<unknown>): Op<unknown> {
  if (Array.isArray(branches) || arguments.length > 2 || (arguments.length === 2 && (options === null || typeof options !== "object" || !("else" in options)))) {
    throw new TypeError("select() takes one object of named branches, and optionally { else: body }: select({ a: bodyA, b: bodyB }, { else: … }); race(a, b) takes unnamed bodies");
  }
  if (branches === null || typeof branches !== "object") {
    throw new TypeError(`select() needs an object of named bodies ({ key: body, … }), not ${describeValue(branches)}`);
  }
  const keys = Object.keys(branches);
  if (keys.length === 0) throw new RangeError("select() needs at least one branch: a select of none would never finish");
  const bodies = keys.map((k) => branches[k] as Body<unknown>);
  checkBodies(bodies, "select()", keys);
  if (options !== undefined) checkBodies([options.else], "select()", ["else"]);
  return new Select<unknown>(keys, bodies, options?.else);
}

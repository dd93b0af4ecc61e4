// allSettled(iterable): run every body to the end and report each outcome, as
// Promise.allSettled does. No child's failure cancels another; only cancelling the waiting
// task does (then every child is cancelled and waited for).

import type { Body, Op } from "../poll";
import { bodiesOf, type Child, type ValueOf } from "./children";
import { Combinator } from "./combinator";

/** The outcome of one body, shaped like Promise.allSettled's. @public */
export type Settled<T> = {
  /** The body returned. */
  readonly status: "fulfilled";
  /** What the body returned. */
  readonly value: T
} | {
  /** The body threw. */
  readonly status: "rejected";
  /** What the body threw. */
  readonly reason: unknown
};

type AllSettledTakesOneArray = "allSettled() takes one array of bodies: allSettled([a, b])";

/** The outcomes of a list of bodies: a tuple for a tuple, an array for an array. @public */
export type SettledOf<B extends readonly unknown[]> = { -readonly [K in keyof B]: Settled<ValueOf<B[K]>> };

class AllSettled<T extends unknown[]> extends Combinator<T> {
  protected readonly who = "allSettled()";
  private readonly results: Settled<unknown>[];

  constructor(private bodies: Body<unknown>[] | undefined) {
    super();
    this.results = new Array(bodies === undefined ? 0 : bodies.length);
  }

  protected start(): void {
    const bodies = this.bodies as Body<unknown>[];
    this.bodies = undefined;
    this.children.naming = (i) => `allSettled[${i}]`;
    for (let i = 0; i < bodies.length; i++) this.children.add(bodies[i] as Body<unknown>, i, undefined, this.who);
  }

  protected settled(child: Child, ok: boolean, out: unknown): void {
    this.results[child.index] = ok ? { status: "fulfilled", value: out } : { status: "rejected", reason: out };
  }

  protected completed(): T {
    return this.results as T;
  }

  describe(): string {
    const n = this.results.length;
    const pending = this.bodies !== undefined ? n : this.children.live;
    return `allSettled(${pending} of ${n} pending)${this.windingDown}${this.children.describeInline()}`;
  }
}

/**
 * Run every body to the end; each one's outcome, in order, as
 * `{ status: "fulfilled", value } | { status: "rejected", reason }`. A failure cancels nothing.
 * If the waiting task is cancelled, every child is cancelled and waited for.
 *
 * ```ts
 * for (const r of yield* allSettled(hosts.map((h) => ping(h)))) {
 *   if (r.status === "rejected") console.log("down:", r.reason);
 * }
 * ```
 * @public
 */
export function allSettled<const B extends readonly Body<unknown>[] | []>(bodies: B): Op<SettledOf<B>>;
export function allSettled<T>(bodies: Iterable<Body<T>>): Op<Settled<T>[]>;
/** Not a form allSettled() accepts (it throws): declared so that the type error says what to write. */
export function allSettled(first: Body<unknown>, ...wrongForm: [AllSettledTakesOneArray, ...AllSettledTakesOneArray[]]): never;
export function allSettled(bodies: unknown, ...more: unknown[]): Op<Settled<unknown>[]> {
  if (more.length > 0) throw new TypeError("allSettled() takes one array (or iterable) of bodies: allSettled([a, b]), not allSettled(a, b)");
  return new AllSettled(bodiesOf(bodies, "allSettled()"));
}

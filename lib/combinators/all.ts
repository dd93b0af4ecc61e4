// all(iterable) and the machinery behind join(…): run every body at once and collect their
// values in order. Invariant: the first error cancels every other child, and is thrown only
// after they have all finished (their finally blocks have run).

import type { Body, Op } from "../poll";
import { Combinator } from "./combinator";
import { bodiesOf, type Child, type ValueOf } from "./children";

/** Every body as one child; the values in argument order. */
export class All<T> extends Combinator<T> {
  private readonly results: unknown[];

  constructor(
    private bodies: Body<unknown>[] | undefined,
    protected readonly who: string,
  ) {
    super();
    this.results = new Array(bodies === undefined ? 0 : bodies.length);
  }

  protected start(): void {
    const bodies = this.bodies as Body<unknown>[];
    this.bodies = undefined; // the children hold them now
    const name = this.who.slice(0, -2); // "all()" → "all": children are named all[0], all[1], …
    this.children.naming = (i) => `${name}[${i}]`;
    for (let i = 0; i < bodies.length; i++) this.children.add(bodies[i] as Body<unknown>, i, undefined, this.who);
  }

  protected settled(child: Child, ok: boolean, out: unknown): void {
    if (ok) this.results[child.index] = out;
    else this.reject(out);
  }

  protected completed(): T {
    return this.results as T;
  }

  describe(): string {
    const n = this.results.length;
    const pending = this.bodies !== undefined ? n : this.children.live;
    return `${this.who.slice(0, -2)}(${pending} of ${n} pending)${this.windingDown}${this.children.describeInline()}`;
  }
}

type AllTakesOneArray = "all() takes one array of bodies: all([a, b]); join(a, b) takes separate arguments";

/** The values of a list of bodies: a tuple for a tuple, an array for an array. @public */
export type ValuesOf<B extends readonly unknown[]> = { -readonly [K in keyof B]: ValueOf<B[K]> };

/**
 * Run every body at once; their values, in order. The first error cancels the others and is
 * thrown here once their finally blocks have run. An empty iterable gives `[]`.
 *
 * Futures are polled inline in the waiting task (no task each); generator functions and
 * operations run as child tasks. Nothing starts until the result is first polled (`yield*`).
 * Cancel safety: when an error or a cancellation discards the values already collected, each
 * `recv()`, `lock()` or `acquire()` among them gives back what it took (message, guard, permits).
 *
 * ```ts
 * const pages = yield* all(urls.map((u) => fetchPage(u)));
 * ```
 * @public
 */
export function all<const B extends readonly Body<unknown>[] | []>(bodies: B): Op<ValuesOf<B>>;
export function all<T>(bodies: Iterable<Body<T>>): Op<T[]>;
/** Not a form all() accepts (it throws): declared so that the type error says what to write. */
export function all(first: Body<unknown>, ...wrongForm: [AllTakesOneArray, ...AllTakesOneArray[]]): never;
export function all(bodies: unknown, ...more: unknown[]): Op<unknown[]> {
  if (more.length > 0) throw new TypeError("all() takes one array (or iterable) of bodies: all([a, b]), not all(a, b); join(a, b) takes separate arguments");
  return new All(bodiesOf(bodies, "all()"), "all()");
}

// join(a, b, …): all() for a fixed list of bodies, typed as a tuple. Same rules: the first error
// cancels the rest and is thrown once they have finished.

import type { Body, Op } from "../poll";
import { All, type ValuesOf } from "./all";
import { checkBodies } from "./children";

/**
 * Run the bodies at once; a tuple of their values. The first error cancels the others and is
 * thrown here once their finally blocks have run. (This is tokio's `try_join!`: in JavaScript a
 * failure is a thrown error, so there is no separate `tryJoin`. For every outcome, failures
 * included, use {@link allSettled}.) Cancel-safe as {@link all}: values discarded by an error or
 * a cancellation are given back (a received message, a guard, permits).
 *
 * ```ts
 * const [user, posts] = yield* join(loadUser(id), loadPosts(id));
 * ```
 * @public
 */
export function join<const B extends readonly Body<unknown>[]>(...bodies: B): Op<ValuesOf<B>>;
/** Not a form join() accepts (it throws): declared so that the type error says what to write. */
export function join(wrongForm: "join() takes the bodies as separate arguments: join(a, b); all([a, b]) takes an array"): never;
export function join(...bodies: unknown[]): Op<unknown[]> {
  if (bodies.length === 1 && Array.isArray(bodies[0])) throw new TypeError("join() takes the bodies as separate arguments: join(a, b), or all(array) for an array");
  checkBodies(bodies, "join()");
  return new All<unknown[]>(bodies.slice() as Body<unknown>[], "join()");
}

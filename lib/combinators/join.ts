// join(a, b, …): all() for a fixed list of bodies, typed as a tuple. Same rules: the first error
// cancels the rest and is thrown once they have finished.

import type { Body, Op } from "../poll";
import { All, type ValuesOf } from "./all";
import { checkBodies } from "./children";

/**
 * Run the bodies at once; a tuple of their values. The first error cancels the others and is
 * thrown here once their finally blocks have run. (This is tokio's `try_join!`: in JavaScript a
 * failure is a thrown error, so there is no separate `tryJoin`. For every outcome, failures
 * included, use {@link allSettled}.)
 *
 * ```ts
 * const [user, posts] = yield* join(loadUser(id), loadPosts(id));
 * ```
 * @public
 */
export function join<const B extends readonly Body<unknown>[]>(...bodies: B): Op<ValuesOf<B>> {
  checkBodies(bodies, "join()");
  return new All<ValuesOf<B>>(bodies.slice(), "join()");
}

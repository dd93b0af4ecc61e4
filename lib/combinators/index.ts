// Combinators and structured concurrency: join, all, allSettled, race, select, scope, timeout, JoinSet.
//
// Every combinator is a future over a set of children (children.ts). A body that is a future is
// polled inline, in the waiting task; a generator function or an operation runs as a child task
// the combinator owns. Each child is polled with its own waker, which puts it on the
// combinator's ready list once and wakes the waiting task: a wake costs O(1), and a poll looks
// only at the children that woke (FuturesUnordered's design). The life of each combinator —
// start, decide, cancel the rest, wait for their finally blocks — is in combinator.ts.
//
// Rules shared by all of them:
// - Nothing starts before the first poll (`yield*`). Several tasks may wait on one combinator;
//   the first to poll owns its child tasks (shutdown() cancels them through it).
// - An outcome is returned only once every child has finished: losers and siblings are
//   cancelled, and their finally blocks run first (a cancelled child cannot wait, unless shielded).
// - When the last waiting task is cancelled (`drop(cx)` by the last waiter), an undecided
//   combinator cancels every child and asks the driver to drain it (`drop()` returns true) until
//   they have unwound; a decided one keeps its decision, which the cancelled task receives.
// - No child error is dropped. The first error decides, and the same object is rethrown. Other
//   errors (not `CancelledError`) that surface before every child has finished — a finally block
//   that threw while being cancelled, a sibling that failed in the same instant, before it could
//   be cancelled — are thrown too: alone, as themselves; with the deciding error or with each
//   other, as one `AggregateError` (deciding error first). A JoinHandle body is joined, not
//   owned: cancelling the combinator does not abort that task.
// - There is no `tryJoin`: `join` already is tokio's `try_join!` (a failure is a thrown error and
//   short-circuits); `allSettled` is the join that waits for every outcome.

export { all } from "./all";
export type { ValuesOf } from "./all";
export { allSettled } from "./all-settled";
export type { Settled, SettledOf } from "./all-settled";
export type { ValueOf, ValueOfOperation } from "./children";
export { join } from "./join";
export { race } from "./race";
export { select } from "./select";
export type { Selected, SelectOptions } from "./select";
export { scope, Scope } from "./scope";
export { timeout, timeoutAt } from "./timeout";
export { JoinSet, type JoinOutcome } from "./joinset";

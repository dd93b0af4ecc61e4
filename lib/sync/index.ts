// Sync primitives: channels and locks whose waiters are futures that leave their queue when
// cancelled (FIFO fairness and cancel safety by construction). This barrel re-exports them.
export * from "./locks";
export * from "./channels";

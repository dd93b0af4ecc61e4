// Sync primitives: channels and locks whose waiters are futures that leave their queue when
// cancelled (FIFO fairness and cancel safety by construction). This barrel re-exports them.
// The public names only: the waiter queue and guard base they are built from (Waiter,
// WaiterQueue, Held) are exported by lib/primitives for people writing their own.

/**
 * Channels (mpsc, oneshot, broadcast, watch) and locks and signals (Mutex, RwLock, Semaphore,
 * Notify, Barrier). The main entry (`wakeful`) exports all of these too.
 *
 * ```ts
 * import { run, spawn } from "wakeful";
 * import { channel } from "wakeful/sync";
 * await run(function* () {
 *   const [tx, rx] = channel<number>(1);
 *   spawn(function* () { yield* tx.send(1); });
 *   return yield* rx.recv();
 * });
 * ```
 * @module wakeful/sync
 */

export type { Resource } from "./waiters";
export { Semaphore, Permit, SemaphoreClosedError } from "./semaphore";
export type { SemaphoreOptions } from "./semaphore";
export { Mutex, MutexGuard } from "./mutex";
export type { MutexOptions } from "./mutex";
export { RwLock, RwLockReadGuard, RwLockWriteGuard } from "./rwlock";
export type { RwLockOptions } from "./rwlock";
export { Notify } from "./notify";
export type { NotifyOptions } from "./notify";
export { Barrier } from "./barrier";
export type { BarrierOptions, BarrierWaitResult } from "./barrier";
export * from "./channels";

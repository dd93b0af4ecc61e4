// Locks and signals: Mutex, RwLock, Semaphore, Notify, Barrier (re-exported from lib/sync).
// Each waits through a Waiter future that leaves its FIFO queue when cancelled (waiters.ts).
export { Primitive, Waiter, WaiterQueue } from "./waiters";
export type { Resource } from "./waiters";
export { Held, PoolPrimitive } from "./permit-pool";
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

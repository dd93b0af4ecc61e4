// Locks and signals: Mutex, RwLock, Semaphore, Notify, Barrier (re-exported from lib/sync).
export {};

// Helpers for the lock specs: a virtual-clock runtime, and a way to see what a parked task's
// future says about itself (the words a DeadlockError prints).

import { DeadlockError, Runtime } from "../../../lib/index";

/** A fresh runtime on a virtual clock (deterministic, driven with runSync()). */
export function virtual(): Runtime {
  return new Runtime({ clock: "virtual" });
}

/** Runs `rt` expecting a deadlock; returns the error (fails the test if there is none). */
export function deadlockOf(rt: Runtime): DeadlockError {
  try {
    rt.runSync();
  } catch (error) {
    if (error instanceof DeadlockError) return error;
    throw error;
  }
  throw new Error("expected a DeadlockError, but the runtime finished");
}

/** What each parked task waits on, keyed by task name. */
export function waitsOn(error: DeadlockError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of error.tasks) out[t.name ?? `#${t.id}`] = t.waitsOn;
  return out;
}

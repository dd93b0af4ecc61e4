// Schedule tests loaded by worker threads in parallel.spec.ts (a worker loads a test by module
// and export name: functions cannot be sent to a thread).

import { lostUpdate } from "./bugs";
import { reorder } from "./literature";

export const buggy = lostUpdate.buggy;
export const fixed = lostUpdate.fixed;
export const reorderFixed = reorder(2, true);

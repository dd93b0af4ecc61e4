// The timeline a failure report shows: wakeful/trace's swim-lane chart of the traced replay,
// cut to the rows where the failure shows (the end of the run) and to the tasks acting there.

import type { TraceEvent } from "../events";
import { timeline } from "../trace/index";

/**
 * The traced run as a text swim-lane chart, keeping its last `maxRows` rows and, when more than
 * `maxLanes` tasks are about, only the lanes of tasks that act in those rows.
 */
export function renderTimeline(events: readonly TraceEvent[], maxRows = 60, maxLanes = 12): string {
  return timeline(events, { maxRows, width: 28, maxLanes });
}

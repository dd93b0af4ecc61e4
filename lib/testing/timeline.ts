// The timeline a failure report shows: wakeful/trace's swim-lane chart of the traced replay,
// cut to the rows where the failure shows (the end of the run).

import type { TraceEvent } from "../events";
import { timeline } from "../trace/index";

/** The traced run as a text swim-lane chart, keeping its last `maxRows` rows. */
export function renderTimeline(events: readonly TraceEvent[], maxRows = 60): string {
  return timeline(events, { maxRows, width: 28 });
}

// Yield sites: where a task yielded the future it is polled on ("file:line"), for trace events.
// Captured only for runtimes created with `traceSites: true`; until one exists, a `yield*` pays
// one integer check (`sites.wanted`). A site costs a stack capture, kept in a WeakMap keyed by
// the future, so futures carry no extra field and a finished future takes its site with it.

import { currentTask } from "./current";
import type { TraceEvent } from "./events";

/** How many runtimes asked for sites: the one check a yield makes while tracing is off. */
export const sites = { wanted: 0 };

const known = new WeakMap<object, string>();

/** Remember where `future` is being yielded, if its task's runtime asked for sites. */
export function noteSite(future: object): void {
  const task = currentTask();
  if (task === undefined || known.has(future)) return;
  if (!everywhere && (task.host as { sites?: boolean }).sites !== true) return;
  const site = callerSite(new Error().stack);
  if (site !== undefined) known.set(future, site);
}

/** Capture sites in every runtime, not only those created with `traceSites: true`. */
let everywhere = false;

/**
 * Capture yield sites in every runtime of the process (wakeful/testing turns it on for the run
 * a failure report shows, whose runtime it does not create). Returns the previous setting.
 * @public
 */
export function captureYieldSites(on: boolean): boolean {
  const was = everywhere;
  if (on !== was) sites.wanted += on ? 1 : -1;
  everywhere = on;
  return was;
}

/**
 * The extra fields of a poll event for `future`: where it was yielded (when sites are captured)
 * and, for a `step()`, its label (the `stepLabel` it carries: read here, so the harness needs
 * nothing of step.ts and a bundle without step() carries none of it). Undefined when there is
 * nothing to add.
 */
export function pollFields(future: object): Partial<TraceEvent> | undefined {
  const site = known.get(future);
  const label = (future as { stepLabel?: unknown }).stepLabel;
  if (site === undefined && typeof label !== "string") return undefined;
  const fields: { -readonly [K in keyof TraceEvent]?: TraceEvent[K] } = {};
  if (site !== undefined) fields.site = site;
  if (typeof label === "string") fields.stepLabel = label;
  return fields;
}

/**
 * The first stack frame outside this file and poll.ts (the yielding generator), as the last two
 * path segments and the line: "tutorial/05-lost-wakeup.ts:142". Short, and the same on every
 * machine, so outputs that show it can be checked.
 */
function callerSite(stack: string | undefined): string | undefined {
  if (stack === undefined) return undefined;
  for (const line of stack.split("\n").slice(1)) {
    const m = /\(?([^\s()]+):(\d+):\d+\)?\s*$/.exec(line);
    if (m === null) continue;
    const path = (m[1] as string).replace(/^file:\/\//, "");
    if (/[\\/]lib[\\/](site|poll)\.[jt]s$/.test(path)) continue; // the walk's own frames
    return `${path.split(/[\\/]/).slice(-2).join("/")}:${m[2]}`;
  }
  return undefined;
}

// Trace events: what the runtime did, one record per decision (spawn, poll, park, wake, …),
// stamped with the runtime clock. Recording is opt-in (`trace: true` or a sink), and when it is
// off the driver pays one `undefined` check per event site and allocates nothing.

/**
 * The kinds of things the runtime records. Every `poll` ends with exactly one of `ready`,
 * `pending` (rescheduled at once), `park` or `throw` (the poll threw; the error goes to the
 * generator at its yield).
 * @public
 */
export type TraceKind =
  | "spawn"
  | "poll"
  | "ready"
  | "pending"
  | "throw"
  | "wake"
  | "park"
  | "complete"
  | "fail"
  | "cancel"
  | "timer";

/**
 * One thing the runtime did.
 * - `t`: the runtime clock (ms) · `task`: the task's id · `name`: its name, if any
 * - `detail`: words about it (`sleep(50)`, the error message, `abort`)
 * - `by`: for wakes and cancels, who caused it: a task id, `"timer"`, or `"outside"` (a host
 *   callback such as a Promise or a host timer, outside the runtime's control)
 * - `stepLabel`: on a `poll` of a `step(label)`, the label (what the task said it does next)
 * - `yieldSite`: on a `poll`, where the task yielded the future (`file.ts:12:5`), when sites
 *   are being captured (`captureYieldSites(true)`; off by default: it costs a stack trace)
 * @public
 */
export interface TraceEvent {
  readonly t: number;
  readonly kind: TraceKind;
  readonly task: number;
  readonly name?: string;
  readonly detail?: string;
  readonly by?: number | "timer" | "outside";
  readonly stepLabel?: string;
  readonly yieldSite?: string;
}

/** Where trace events go. */
export type TraceSink = (event: TraceEvent) => void;

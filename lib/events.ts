// Trace events: what the runtime did, one record per decision (spawn, poll, park, wake, …),
// stamped with the runtime clock. Recording is opt-in (`trace: true` or a sink), and when it is
// off the driver pays one `undefined` check per event site and allocates nothing.
// The events are complete enough to rebuild the driver's state after every event (run queue in
// order, parked tasks, armed timers, running task, clock): docs/TRACE-EVENTS.md lists each
// emission site and what lib/trace/machine.ts reads from it.

/**
 * The kinds of things the runtime records. Every `poll` ends with exactly one of `ready`,
 * `pending` (rescheduled at once), `park` or `throw` (the poll threw; the error goes to the
 * generator at its yield). `arm` and `disarm` put a timer into or take it out of the timer heap
 * without firing (`timer` is the fire); `pick` is a scheduler's choice of the next task when
 * two or more were ready (FIFO without a scheduler records none: it takes the head).
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
  | "timer"
  | "arm"
  | "disarm"
  | "pick";

/**
 * One thing the runtime did.
 * - `t`: the runtime clock (ms) · `task`: the task's id · `name`: its name, if any
 * - `detail`: words about it (`sleep(50)`, the error message, `abort`)
 * - `by`: for wakes and cancels, who caused it: a task id, `"timer"`, or `"outside"` (a host
 *   callback such as a Promise or a host timer, outside the runtime's control)
 * - `deadline`, `seq`: on `arm`, `disarm` and `timer`, the timer's key in the heap (timers fire
 *   in (deadline, seq) order); `task` is the task that armed it
 * - `queueIndex`, `ready`: on `pick`, the chosen task's place in the run queue (0 = the head,
 *   what FIFO would run) and how many tasks were ready
 * - `site`: on `poll`, where the task yielded the future ("file:line", the last two path
 *   segments), when the runtime was created with `traceSites: true`
 * - `stepLabel`: on a `poll` of a `step(label)`, the label (what the task said it does next)
 * @public
 */
export interface TraceEvent {
  /** The runtime clock (ms) when it happened. */
  readonly t: number;
  /** What happened. */
  readonly kind: TraceKind;
  /** The task it happened to (for timer events, the task that armed the timer). */
  readonly task: number;
  /** The task's name, if it has one. */
  readonly name?: string;
  /** Words about it: the future (`sleep(50)`), the error message, `abort`. */
  readonly detail?: string;
  /** For wakes and cancels, who caused it: a task id, `"timer"`, or `"outside"`. */
  readonly by?: number | "timer" | "outside";
  /** On `arm`, `disarm` and `timer`: the timer's deadline (ms, runtime clock). */
  readonly deadline?: number;
  /** On `arm`, `disarm` and `timer`: the arming order, which breaks ties between equal deadlines. */
  readonly seq?: number;
  /** On `pick`: the chosen task's place in the run queue (0 = the head, what FIFO would run). */
  readonly queueIndex?: number;
  /** On `pick`: how many tasks were ready. */
  readonly ready?: number;
  /** On `poll` with `traceSites: true`: where the task yielded the future (`file:line`). */
  readonly site?: string;
  /** On `poll` of a `step(label)`: the label, what the task said it does next. */
  readonly stepLabel?: string;
}

/** Where trace events go. */
export type TraceSink = (event: TraceEvent) => void;

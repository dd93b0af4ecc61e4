// wakeful/trace: look at what a runtime did. Record with `new Runtime({ trace: true })` (the
// events land in `runtime.trace`) or pass a sink function; then render the events as a text
// swim-lane chart (`timeline`), Trace Event Format JSON for Perfetto and chrome://tracing
// (`chromeTrace`), or one self-contained HTML page with a step slider (`htmlTimeline`); and
// rebuild the driver's own state after every move (`machineStates`): run queue, parked, timers.

/**
 * Trace events and their renderings: a text swim-lane `timeline`, `chromeTrace` for Perfetto,
 * and a self-contained `htmlTimeline` page.
 * @module wakeful/trace
 */

export type { TraceEvent, TraceKind } from "../events";
export { timeline } from "./timeline";
export type { TimelineOptions } from "./timeline";
export { chromeTrace } from "./chrome";
export type { ChromeTrace, ChromeTraceEvent, ChromeTraceOptions } from "./chrome";
export { htmlTimeline } from "./html";
export { machineStates } from "./machine";
export type { MachineState, QueuedTask, ParkedTask, ArmedTimer, StepInfo } from "./machine";
export type { HtmlTimelineOptions } from "./html";

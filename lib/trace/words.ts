// Words for trace events: the short phrases every renderer shows ("poll sleep(10)", "woken by
// #2", "spawn #3"). One event reads the same in the text timeline, the HTML page and Perfetto.
// A kind this file does not know (a newer core) still reads as "kind: detail", never as nothing.

import type { TraceEvent } from "../events";

/** What happened, in the lane of the task it happened to. */
export function ownText(e: TraceEvent): string {
  const detail = e.detail;
  switch (e.kind) {
    case "spawn":
      return typeof e.by === "number" && e.by !== e.task ? `spawned by #${e.by}` : "spawn";
    case "poll":
      return `poll ${detail ?? "a future"}`;
    case "ready":
      return "→ Ready";
    case "pending":
      return detail === undefined ? "pending" : `pending: ${detail}`;
    case "park":
      return detail === undefined ? "park" : `park: ${detail}`;
    case "wake":
      return wakeText(e);
    case "timer":
      return detail === undefined ? "timer fires" : `timer fires (${detail})`;
    case "complete":
      return "complete";
    case "fail":
      return detail === undefined ? "fail" : `fail: ${detail}`;
    case "cancel":
      return "cancelled";
    case "throw":
      return detail === undefined ? "→ threw" : `→ threw ${detail}`;
    case "arm":
      return `arm timer ${timerKey(e)}`;
    case "disarm":
      return `disarm timer ${timerKey(e)}${typeof e.by === "number" && e.by !== e.task ? ` (by #${e.by})` : ""}`;
    case "pick":
      return detail ?? "picked by the scheduler";
    default:
      return detail === undefined ? e.kind : `${e.kind}: ${detail}`;
  }
}

/** A timer as the heap orders it: "t=5 #0" (deadline, then arming sequence). */
export function timerKey(e: TraceEvent): string {
  return `t=${e.deadline ?? "?"} #${e.seq ?? "?"}`;
}

function wakeText(e: TraceEvent): string {
  const abort = e.detail === "abort";
  const by = e.by;
  const who =
    by === e.task ? " by itself"
    : typeof by === "number" ? ` by #${by}`
    : by === "timer" ? " by timer"
    : by === "outside" ? " from outside"
    : "";
  const extra = e.detail !== undefined && !abort ? ` ${e.detail}` : "";
  return `${abort ? "aborted" : "woken"}${who}${extra}`;
}

/** What the task named in `by` did, in its own lane; undefined when no other task caused it. */
export function causeText(e: TraceEvent): string | undefined {
  const by = e.by;
  if (typeof by !== "number" || by === e.task) return undefined;
  if (e.kind === "spawn") return `spawn #${e.task}`;
  if (e.kind === "wake") return `${e.detail === "abort" ? "abort" : "wake"} #${e.task}`;
  if (e.kind === "disarm") return `disarm a timer of #${e.task}`;
  return `${e.kind} #${e.task}`;
}

/** True for the kinds that end a task's step (it parks, is requeued, or finishes). */
export function endsStep(kind: string): boolean {
  return kind === "park" || kind === "pending" || kind === "complete" || kind === "fail" || kind === "cancel";
}

/** True for the kinds that end a task. */
export function endsTask(kind: string): boolean {
  return kind === "complete" || kind === "fail" || kind === "cancel";
}

// The failure report: what failed, the token that replays it, the shrunk schedule with each
// deviation from FIFO spelled out, deadlock analysis (wait-for cycle, lost wakers), and the
// timeline. Invariant: the text depends only on the run, never on the host (no times, paths).

import { formatMs } from "../format-ms";
import type { DeadlockError, ParkedTaskInfo } from "../errors";
import type { DecisionRecord } from "./recorder";
import { deviations, showSchedule } from "./schedule";
import type { FailureKind } from "./run";

/** What the report is made of. */
export interface ReportParts {
  readonly kind: FailureKind;
  readonly error: unknown;
  readonly deadlock: DeadlockError | undefined;
  readonly token: string;
  readonly choices: readonly number[];
  readonly steps: number;
  readonly decisions: readonly DecisionRecord[];
  readonly timeline: string;
  /** How it was found: "pct, seed 1, schedule 23 of 1000", or "replay". */
  readonly found: string;
  /** How it was shrunk, or undefined when it was not. */
  readonly shrunk: string | undefined;
  /** The same run measured in preemptions, and its `p1:` token. */
  readonly preemptions: number;
  readonly preemptionToken: string;
}

const HEADLINE: Record<FailureKind, string> = {
  error: "a schedule fails with an error",
  deadlock: "a schedule deadlocks",
  maxSteps: "a schedule never finishes (step limit)",
  nondeterminism: "the test is nondeterministic",
};

/** The whole report, as `check` throws it and `explore` returns it. */
export function formatReport(p: ReportParts): string {
  const out: string[] = [];
  out.push(`wakeful/testing: ${HEADLINE[p.kind]} (${p.found}${p.shrunk === undefined ? "" : `; ${p.shrunk}`})`);
  out.push("");
  out.push(indent(errorText(p.error)));
  const notes = p.deadlock !== undefined ? deadlockNotes(p.deadlock) : [];
  if (p.deadlock !== undefined && p.deadlock !== p.error) {
    out.push("", "  and tasks were left deadlocked:", indent(p.deadlock.message, 4));
  }
  for (const n of notes) out.push(`  ${n}`);
  out.push("");
  out.push(`  replay:   replay(${JSON.stringify(p.token)})  ·  check(test, { replay: ${JSON.stringify(p.token)} })`);
  const n = deviations(p.choices);
  out.push(`  schedule: ${showSchedule(p.choices)}: ${n === 0 ? "plain FIFO" : `${n} deviation${n === 1 ? "" : "s"} from FIFO`}, ${p.steps} step${p.steps === 1 ? "" : "s"}`);
  for (const line of explainDecisions(p.decisions)) out.push(`    ${line}`);
  out.push(
    `  preemptions: ${p.preemptions} (runs of another task while the last one was still ready)  ·  from the non-preemptive baseline: replay(${JSON.stringify(p.preemptionToken)})`,
  );
  out.push("");
  out.push("  timeline:");
  out.push(indent(p.timeline, 4));
  return out.join("\n");
}

/** One line per deviation: at which decision, which task ran instead of which. */
export function explainDecisions(decisions: readonly DecisionRecord[]): string[] {
  const lines: string[] = [];
  for (const d of decisions) {
    if (d.chosen === 0) continue;
    const ran = d.ready[d.chosen];
    const fifo = d.ready[0];
    if (fifo !== undefined && fifo.id < 0) {
      lines.push(`decision ${d.index} at t=${formatMs(d.at)}: ${ran?.name ?? "?"}`); // a late-loop decision (timerWindow)
      continue;
    }
    const preempts = d.running >= 0 && d.running !== d.chosen ? `, preempting ${who(d.ready[d.running])}` : "";
    lines.push(`decision ${d.index} at t=${formatMs(d.at)}: ran ${who(ran)} instead of ${who(fifo)}${preempts} (ready: ${d.ready.map(who).join(", ")})`);
  }
  return lines;
}

/**
 * What a deadlock report can add to the DeadlockError's list: the wait-for cycle, read from
 * the "held by task #n" that lock futures put in their descriptions, and every lost waker.
 */
export function deadlockNotes(error: DeadlockError): string[] {
  const notes: string[] = [];
  const cycle = waitForCycle(error.tasks);
  if (cycle !== undefined) notes.push(`wait-for cycle: ${cycle.map((t) => who(t)).join(" → ")}`);
  for (const t of error.tasks) {
    if (!t.lostWaker) continue;
    notes.push(
      `lost waker: ${who(t)} waits on ${t.waitsOn}, whose poll returned Pending without reading cx.waker, so nothing can ever wake it ` +
        `(a future must keep cx.waker, or wake it, before it returns Pending)`,
    );
  }
  return notes;
}

function waitForCycle(tasks: readonly ParkedTaskInfo[]): ParkedTaskInfo[] | undefined {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const holder = new Map<number, number>();
  for (const t of tasks) {
    const m = /held by task #(\d+)/.exec(t.waitsOn);
    if (m !== null) holder.set(t.id, Number(m[1]));
  }
  for (const start of tasks) {
    const path: number[] = [];
    let id: number | undefined = start.id;
    while (id !== undefined && !path.includes(id)) {
      path.push(id);
      id = holder.get(id);
    }
    if (id === undefined || id !== start.id) continue; // no cycle through `start`
    path.push(id);
    if (path.every((p) => byId.has(p))) return path.map((p) => byId.get(p) as ParkedTaskInfo);
  }
  return undefined;
}

function who(t: { id: number; name: string | undefined } | undefined): string {
  if (t === undefined) return "?";
  return `#${t.id}${t.name === undefined ? "" : ` "${t.name}"`}`;
}

/** An error in words: `Name: message`, and each inner error of an AggregateError. */
export function errorText(error: unknown): string {
  if (error instanceof AggregateError) {
    return [`${error.name}: ${error.message}`, ...error.errors.map((e) => indent(errorText(e)))].join("\n");
  }
  if (error instanceof Error) return error.message === "" ? error.name : `${error.name}: ${error.message}`;
  return `thrown: ${typeof error === "string" ? JSON.stringify(error) : String(error)}`;
}

function indent(text: string, n = 2): string {
  const pad = " ".repeat(n);
  return text
    .split("\n")
    .map((l) => (l === "" ? l : pad + l))
    .join("\n");
}


// The machine in words: a MachineState as a few short lines (queue, parked, timers, the step in
// progress) for the text timeline, the tutorial and test failure reports. The queue, the parked
// tasks and the timers are always there, one item a line, so an empty heap is seen, not guessed.

import { formatTime } from "./lanes";
import type { MachineState } from "./machine";

/** "#3 producer", or "#3" for an unnamed task. */
export function taskLabel(s: MachineState, id: number): string {
  const name = s.names.get(id);
  return name === undefined ? `#${id}` : `#${id} ${name}`;
}

/**
 * The state after a move, as lines. `stepStarted` says the move began a step, so its line says
 * how the task came off the queue and why it was queued; later moves of the same step only say
 * what it polls.
 */
export function machineLines(s: MachineState, stepStarted: boolean): string[] {
  const out: string[] = [];
  const step = s.step;
  if (step !== undefined && stepStarted) {
    out.push(`step: ${taskLabel(s, step.task)} ran as ${step.picked}; it was ${step.queued}`);
  }
  if (s.running !== undefined && step !== undefined) out.push(`running: ${runningText(s)}`);
  section(out, "queue", s.queue.map((q, i) => `${i + 1}. ${taskLabel(s, q.task)} (${q.why})`), "empty");
  section(out, "parked", s.parked.map((p) => `${taskLabel(s, p.task)} on ${p.on}${p.site === undefined ? "" : ` (yielded at ${p.site})`}${p.wakeBy === undefined ? "" : ` ⇠ ${p.wakeBy}`}`), "none");
  section(out, "timers", s.timers.map((t) => `t=${formatTime(t.deadline)} #${t.seq} (${taskLabel(s, t.task)})`), "none armed");
  return out;
}

/** "queue:  first" and one more line per item, aligned under the first; `empty` when there is none. */
function section(out: string[], name: string, items: string[], empty: string): void {
  const head = `${name}:`.padEnd(8);
  if (items.length === 0) {
    out.push(`${head}${empty}`);
    return;
  }
  items.forEach((item, i) => out.push(`${i === 0 ? head : " ".repeat(8)}${item}`));
}

/** The running task, and the future it is polling with where it yielded it, if known. */
export function runningText(s: MachineState): string {
  const step = s.step;
  if (s.running === undefined || step === undefined) return "nothing (between steps)";
  const polling = step.polling === undefined ? "" : ` polling ${step.polling}`;
  return `${taskLabel(s, s.running)}${polling}${step.site === undefined ? "" : ` (yielded at ${step.site})`}`;
}

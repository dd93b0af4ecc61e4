// Every tutorial chapter ends by running its idea on wakeful's own runtime with tracing on and
// writing the run as an HTML page to look at (build/tutorial/NN-….html): the lanes, and beside
// them the machine after each move — run queue, parked tasks, timers, the task being polled.
// `after` prints the same state as text, for the moves a chapter points at.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TraceEvent } from "../../../lib/index";
import { htmlTimeline, machineStates } from "../../../lib/trace/index";
import { machineLines } from "../../../lib/trace/machine-text";
import { movesOf } from "../../../lib/trace/moves";

const root = join(__dirname, "..", "..", "..");

/** Write the run's page; returns its path from the repository root. */
export function writePage(name: string, events: readonly TraceEvent[], title: string): string {
  const dir = join(root, "build", "tutorial");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.html`), htmlTimeline(events, { title }));
  return `build/tutorial/${name}.html`;
}

/** Move `k` (1-based, as the page counts) in words, and the machine's state after it, as text. */
export function after(events: readonly TraceEvent[], k: number, indent = "  "): string {
  const { lanes, moves } = movesOf(events, true);
  const states = machineStates(events);
  const mv = moves[k - 1];
  const s = states[k - 1];
  if (mv === undefined || s === undefined) throw new RangeError(`move ${k}: the run has ${moves.length} moves`);
  const head = `after move ${k} (t=${mv.t}) · ${lanes[mv.lane]?.label}: ${mv.full}`;
  const started = s.step !== undefined && s.step.n !== states[k - 2]?.step?.n;
  return [head, ...machineLines(s, started).map((l) => `  ${l}`)].map((l) => indent + l).join("\n");
}

/** The first move (1-based) whose words include `text`, for a chapter to point at. */
export function moveWhere(events: readonly TraceEvent[], text: string): number {
  const k = movesOf(events, true).moves.findIndex((mv) => mv.full.includes(text));
  if (k < 0) throw new Error(`no move says "${text}"`);
  return k + 1;
}

/** Write the page and point at one move: its address (page#move=k) and the machine after it. */
export function look(name: string, title: string, events: readonly TraceEvent[], k: number): string {
  const path = writePage(name, events, title);
  return `Look at the machine: ${path}#move=${k}\n${after(events, k)}`;
}

// timeline(events): a text swim-lane chart of a trace, one column (lane) per task and one row
// per thing that happened, readable in a terminal, a doc or a test failure. Between its events
// a lane shows the task's state: │ ready to run, ╎ parked, blank before spawn and after it ends.
// Invariant: every event appears in exactly one row (compact mode joins a poll to its outcome).

import type { TraceEvent } from "../events";
import { checkEvents, formatTime } from "./lanes";
import { MachineReplay } from "./machine";
import { machineLines } from "./machine-text";
import { type Move, movesOf, NOT_SPAWNED, PARKED, READY, replayStates, RUNNING, DONE } from "./moves";

/** How {@link timeline} lays out the chart. @public */
export interface TimelineOptions {
  /** Widest a lane may be, in characters; longer text ends in "…". Default 30, at least 8. */
  width?: number;
  /**
   * Join a poll with the Ready or park right after it ("poll sleep(5) → park"), and a timer
   * with the wake it causes, into one row. Default true; false gives one row per event.
   */
  compact?: boolean;
  /** Keep only the last `maxRows` rows (the end of a run is where a failure shows), saying how many were left out. */
  maxRows?: number;
  /** End with a line explaining the lane marks. Default true. */
  legend?: boolean;
  /**
   * After each row, the driver's state once it happened: the run queue in order (and why each
   * task is in it), the parked tasks and what will wake them, the armed timers in firing order,
   * and for a row that starts a step, why that task ran. Default false.
   * @experimental
   */
  state?: boolean;
  /**
   * Most lanes to draw (default: all). When more tasks take part in the shown rows, only the
   * lanes with an event of their own in those rows are drawn, and a line counts the rest by
   * state: a run of 800 tasks stays as wide as the handful that act near its end.
   */
  maxLanes?: number;
}

/** The mark a lane shows in a row where its task did nothing, by state. */
const MARK: Record<number, string> = { [NOT_SPAWNED]: " ", [READY]: "│", [RUNNING]: "┃", [PARKED]: "╎", [DONE]: " " };

/**
 * A text swim-lane chart of a trace: one lane per task (in id order), one row per event, the
 * runtime time at the left whenever it changes.
 *
 * ```ts
 * const rt = new Runtime({ clock: "virtual", trace: true });
 * rt.spawn(function* () { yield* sleep(5); }, { name: "main" });
 * rt.runSync();
 * console.log(timeline(rt.trace));
 * // t │ #1 main
 * // ──┼───────────────────────────────
 * // 0 │ spawn
 * //   │ poll sleep(5) until t=5 → park
 * // 5 │ timer fires → woken
 * //   │ poll sleep(5) until t… → Ready
 * //   │ complete
 * ```
 * @public
 */
export function timeline(events: Iterable<TraceEvent> | ArrayLike<TraceEvent>, options: TimelineOptions = {}): string {
  const list = checkEvents(events, "timeline()");
  const width = options.width ?? 30;
  if (typeof width !== "number" || !Number.isInteger(width) || width < 8) throw new RangeError(`timeline() width must be a whole number ≥ 8, not ${String(width)}`);
  const maxRows = options.maxRows ?? Infinity;
  if (typeof maxRows !== "number" || !(maxRows >= 1)) throw new RangeError(`timeline() maxRows must be ≥ 1, not ${String(maxRows)}`);
  const maxLanes = options.maxLanes ?? Infinity;
  if (typeof maxLanes !== "number" || !(maxLanes >= 1)) throw new RangeError(`timeline() maxLanes must be ≥ 1, not ${String(maxLanes)}`);
  if (list.length === 0) return "(no trace events: was the runtime created with { trace: true }?)";

  const m = movesOf(list, options.compact ?? true);
  const { lanes, moves } = m;
  const first = moves.length > maxRows ? moves.length - maxRows : 0;

  // The idle marks of the shown rows (earlier rows are replayed, not kept).
  const marks: string[][] = [];
  replayStates(m, (k, state) => {
    if (k >= first && k < moves.length) marks.push(state.map((s) => MARK[s] as string));
  });
  /** What lane `i` shows in row `r`: its text, the cause's text, or its state's mark. */
  const cell = (r: number, i: number): { text: string; tail: number } => {
    const mv = moves[r] as Move;
    if (mv.lane === i) return mv;
    if (mv.causeLane === i) return { text: mv.causeText as string, tail: 0 };
    return { text: (marks[r - first] as string[])[i] as string, tail: 0 };
  };

  // Lanes wide enough for what the shown rows write in them; when rows were left out, lanes
  // that are blank in every shown row (finished, or not yet spawned) are left out too.
  const widths = lanes.map((lane) => lane.label.length);
  const active = lanes.map(() => first === 0);
  for (let r = first; r < moves.length; r++) {
    const mv = moves[r] as Move;
    active[mv.lane] = true;
    widths[mv.lane] = Math.max(widths[mv.lane] as number, mv.text.length);
    if (mv.causeLane >= 0) {
      active[mv.causeLane] = true;
      widths[mv.causeLane] = Math.max(widths[mv.causeLane] as number, (mv.causeText as string).length);
    }
    const row = marks[r - first] as string[];
    for (let i = 0; i < row.length; i++) if (row[i] !== " ") active[i] = true;
  }
  let shown = lanes.map((_, i) => i).filter((i) => active[i]);
  // Too many lanes: draw the tasks that act last (the failing one is among them), up to
  // maxLanes; rows of other tasks are counted, and the idle lanes are counted by state.
  let collapsed = "";
  const keep = lanes.map(() => true);
  if (shown.length > maxLanes) {
    keep.fill(false);
    let kept = 0;
    for (let r = moves.length - 1; r >= first && kept < maxLanes; r--) {
      const mv = moves[r] as Move;
      for (const i of [mv.lane, mv.causeLane]) {
        if (i < 0 || keep[i] || kept >= maxLanes) continue;
        keep[i] = true;
        kept++;
      }
    }
    const left = shown.filter((i) => !keep[i]);
    shown = shown.filter((i) => keep[i]);
    const last = marks[marks.length - 1] as string[];
    const byMark = new Map<string, number>();
    for (const i of left) byMark.set(last[i] as string, (byMark.get(last[i] as string) ?? 0) + 1);
    const words = [...byMark].map(([mark, n]) => `${n} ${mark === MARK[READY] ? "ready" : mark === MARK[PARKED] ? "parked" : mark === MARK[RUNNING] ? "running" : "finished"}`);
    collapsed = `… ${left.length} more task${left.length === 1 ? "" : "s"} not drawn (at the end: ${words.join(", ")}); their rows are counted`;
  }
  const colWidth = (i: number) => Math.min(widths[i] as number, width);

  const times = moves.map((mv, r) => (r >= first ? formatTime(mv.t) : ""));
  const tWidth = Math.max(1, ...times.slice(first).map((s) => s.length));
  const line = (t: string, cells: string[]) => `${t.padStart(tWidth)} │ ${cells.join("  ")}`.replace(/\s+$/, "");
  const out: string[] = [];
  out.push(line("t", shown.map((i) => fit({ text: (lanes[i] as { label: string }).label, tail: 0 }, colWidth(i)))));
  out.push(`${"─".repeat(tWidth)}─┼─${shown.map((i) => "─".repeat(colWidth(i))).join("──")}`);
  if (collapsed !== "") out.push(line("", [collapsed]));
  if (first > 0) {
    const hidden = lanes.length - shown.length - (collapsed === "" ? 0 : lanes.filter((_, i) => active[i] && !keep[i]).length);
    const idle = hidden === 0 ? "" : ` (and ${hidden} task${hidden === 1 ? "" : "s"} with no part in the rows below)`;
    out.push(line("", [`… ${first} earlier row${first === 1 ? "" : "s"} not shown${idle}`]));
  }
  const used = new Set<string>();
  let shownT: string | undefined = undefined;
  const replay = options.state === true ? new MachineReplay() : undefined;
  let applied = 0;
  let lastStep = 0;
  let skipped = 0;
  for (let r = first; r < moves.length; r++) {
    const t = times[r] as string;
    const mv = moves[r] as Move;
    if (!keep[mv.lane] && !(mv.causeLane >= 0 && keep[mv.causeLane])) {
      skipped++;
      continue;
    }
    if (skipped > 0) out.push(line("", [`… ${skipped} row${skipped === 1 ? "" : "s"} of tasks not drawn`]));
    skipped = 0;
    const cells = shown.map((i) => {
      const c = cell(r, i);
      if (c.text.length <= 1) used.add(c.text);
      return fit(c, colWidth(i));
    });
    out.push(line(t === shownT ? "" : t, cells));
    shownT = t;
    if (replay !== undefined) {
      for (; applied <= (moves[r] as Move).last; applied++) replay.apply(list[applied] as TraceEvent);
      const s = replay.snapshot();
      const n = s.step?.n ?? 0;
      for (const text of machineLines(s, n !== lastStep)) out.push(`${" ".repeat(tWidth)} ┆   ${text}`);
      lastStep = n;
    }
  }
  if (skipped > 0) out.push(line("", [`… ${skipped} row${skipped === 1 ? "" : "s"} of tasks not drawn`]));
  if (options.legend ?? true) {
    const text = legend(used);
    if (text !== "") out.push(`${" ".repeat(tWidth)}   ${text}`);
  }
  return out.join("\n");
}

/** Words for the idle marks in `used` (and only those), or "" when none was shown. */
function legend(used: Set<string>): string {
  const words: string[] = [];
  if (used.has(MARK[READY] as string)) words.push(`${MARK[READY]} ready to run`);
  if (used.has(MARK[RUNNING] as string)) words.push(`${MARK[RUNNING]} running`);
  if (used.has(MARK[PARKED] as string)) words.push(`${MARK[PARKED]} parked`);
  if (used.has(" ")) words.push("blank: not spawned yet, or finished");
  return words.length === 0 ? "" : `(${words.join(" · ")})`;
}

/** The cell padded or cut to exactly `width` characters; a cut keeps the cell's tail (the outcome). */
function fit(cell: { text: string; tail: number }, width: number): string {
  const { text, tail } = cell;
  if (text.length <= width) return text.padEnd(width);
  if (tail === 0) return text.slice(0, width - 1) + "…";
  // Keep at least the start of the head ("poll sl…"), then as much of the tail as fits.
  const room = Math.max(6, width - tail - 1);
  const cut = text.slice(0, room) + "…" + text.slice(text.length - tail);
  return cut.length <= width ? cut : cut.slice(0, width - 1) + "…";
}

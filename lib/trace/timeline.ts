// timeline(events): a text swim-lane chart of a trace, one column (lane) per task and one row
// per thing that happened, readable in a terminal, a doc or a test failure. Between its events
// a lane shows the task's state: │ ready to run, ╎ parked, blank before spawn and after it ends.
// Invariant: every event appears in exactly one row (compact mode joins a poll to its outcome).

import type { TraceEvent } from "../events";
import { checkEvents, formatTime, lanesOf } from "./lanes";
import { causeText, endsTask, ownText } from "./words";

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
}

const NONE = 0;
const QUEUED = 1;
const RUNNING = 2;
const PARKED = 3;
const DONE = 4;

/** The mark a lane shows in a row where its task did nothing, by state. */
const MARK = [" ", "│", "┃", "╎", " "];

interface Cell {
  readonly text: string;
  /** How many characters at the end must survive when the text is cut to fit. */
  readonly tail: number;
}

interface Row {
  readonly t: number;
  readonly cells: Map<number, Cell>;
}

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
  if (list.length === 0) return "(no trace events: was the runtime created with { trace: true }?)";

  const lanes = lanesOf(list);
  const laneOf = new Map<number, number>();
  lanes.forEach((lane, i) => laneOf.set(lane.id, i));

  // Build the rows, remembering each lane's state before every row for its idle mark.
  const state: number[] = lanes.map(() => NONE);
  const rows: Row[] = [];
  const marks: string[][] = [];
  const compact = options.compact ?? true;
  for (let i = 0; i < list.length; i++) {
    const e = list[i] as TraceEvent;
    const lane = laneOf.get(e.task) as number;
    let text = ownText(e);
    let tail = 0; // characters at the end of `text` that must survive a cut (the outcome)
    let last = e;
    if (compact) {
      const joined = joinWithOutcome(list, i);
      if (joined !== undefined) {
        text = joined.text;
        tail = joined.tail;
        last = list[joined.last] as TraceEvent;
        i = joined.last;
      }
    }
    marks.push(state.map((s) => MARK[s] as string));
    const cells = new Map<number, Cell>([[lane, { text, tail }]]);
    const cause = causeText(e);
    if (cause !== undefined) cells.set(laneOf.get(e.by as number) as number, { text: cause, tail: 0 });
    rows.push({ t: e.t, cells });
    if (typeof e.by === "number" && e.by !== e.task) {
      // The waker is running (a wake or spawn happens inside its step), unless this is its
      // completion waking its joiners, which happens after its own "complete".
      const by = laneOf.get(e.by) as number;
      if (state[by] !== DONE) state[by] = RUNNING;
    }
    state[lane] = stateAfter(last, state[lane] as number);
  }

  // Lay the rows out: a time column, then one column per lane.
  const colWidth = lanes.map((lane, i) => {
    let w = lane.label.length;
    for (const row of rows) {
      const c = row.cells.get(i);
      if (c !== undefined && c.text.length > w) w = c.text.length;
    }
    return Math.min(w, width);
  });
  let first = 0;
  const out: string[] = [];
  const times = rows.map((r) => formatTime(r.t));
  const tWidth = Math.max(1, ...times.map((s) => s.length));
  const line = (t: string, cells: string[]) => `${t.padStart(tWidth)} │ ${cells.join("  ")}`.replace(/\s+$/, "");
  out.push(line("t", lanes.map((lane, i) => fit({ text: lane.label, tail: 0 }, colWidth[i] as number))));
  out.push(`${"─".repeat(tWidth)}─┼─${colWidth.map((w) => "─".repeat(w)).join("──")}`);
  if (rows.length > maxRows) {
    first = rows.length - maxRows;
    out.push(line("", [`… ${first} earlier row${first === 1 ? "" : "s"} not shown`]));
  }
  let shownT: string | undefined = undefined;
  for (let r = first; r < rows.length; r++) {
    const row = rows[r] as Row;
    const t = times[r] as string;
    const cells = lanes.map((_, i) => fit(row.cells.get(i) ?? { text: (marks[r] as string[])[i] as string, tail: 0 }, colWidth[i] as number));
    out.push(line(t === shownT ? "" : t, cells));
    shownT = t;
  }
  if (options.legend ?? true) {
    const used = new Set<string>();
    for (let r = first; r < rows.length; r++) lanes.forEach((_, i) => (rows[r] as Row).cells.has(i) || used.add((marks[r] as string[])[i] as string));
    const text = legend(used);
    if (text !== "") out.push(`${" ".repeat(tWidth)}   ${text}`);
  }
  return out.join("\n");
}

/** Words for the idle marks in `used` (and only those), or "" when none was shown. */
function legend(used: Set<string>): string {
  const words: string[] = [];
  if (used.has(MARK[QUEUED] as string)) words.push(`${MARK[QUEUED]} ready to run`);
  if (used.has(MARK[RUNNING] as string)) words.push(`${MARK[RUNNING]} running`);
  if (used.has(MARK[PARKED] as string)) words.push(`${MARK[PARKED]} parked`);
  if (used.has(" ")) words.push("blank: not spawned yet, or finished");
  return words.length === 0 ? "" : `(${words.join(" · ")})`;
}

/** A lane's state once `e` (the last event of its row) has happened. */
function stateAfter(e: TraceEvent, before: number): number {
  if (endsTask(e.kind)) return DONE;
  switch (e.kind) {
    case "spawn":
    case "pending":
      return QUEUED;
    case "park":
      return PARKED;
    case "wake":
      return e.by === e.task || before === RUNNING ? RUNNING : QUEUED;
    case "timer":
      return before;
    default:
      return RUNNING; // poll, ready, and whatever else a task does while it runs
  }
}

/**
 * In compact mode, a poll and its outcome read as one row: the poll joined with the Ready or
 * park that follows it, or with the wake-itself-and-requeue of a future such as yieldNow(); a
 * timer joined with the wake it causes. Only events of the same task that are adjacent in the
 * trace are joined, so nothing that happened in between is hidden.
 */
function joinWithOutcome(list: readonly TraceEvent[], i: number): { text: string; tail: number; last: number } | undefined {
  const e = list[i] as TraceEvent;
  const a = list[i + 1];
  if (a === undefined || a.task !== e.task) return undefined;
  if (e.kind === "timer" && a.kind === "wake" && a.by === "timer") return { text: "timer fires → woken", tail: 0, last: i + 1 };
  if (e.kind !== "poll") return undefined;
  const polled = e.detail ?? "a future";
  if (a.kind === "ready") return outcome(polled, "Ready", i + 1);
  if (a.kind === "park") {
    // The park names the same future, sometimes more precisely ("sleep(5) until t=5").
    const what = a.detail !== undefined && a.detail.startsWith(polled) ? a.detail : polled;
    return outcome(what, "park", i + 1);
  }
  const b = list[i + 2];
  if (a.kind === "wake" && a.by === e.task && b !== undefined && b.task === e.task && b.kind === "pending") return outcome(polled, "requeued", i + 2);
  return undefined;
}

function outcome(what: string, result: string, last: number): { text: string; tail: number; last: number } {
  const tail = ` → ${result}`;
  return { text: `poll ${what}${tail}`, tail: tail.length, last };
}

/** The cell padded or cut to exactly `width` characters; a cut keeps the cell's tail. */
function fit(cell: Cell, width: number): string {
  const { text, tail } = cell;
  if (text.length <= width) return text.padEnd(width);
  const room = width - tail - 1;
  if (tail === 0 || room < 6) return text.slice(0, width - 1) + "…";
  return text.slice(0, room) + "…" + text.slice(text.length - tail);
}

// Moves: a trace as the things a reader follows one at a time (a poll with its outcome, a wake,
// a spawn, a timer), each in its task's lane, with the lane states it changes. The timeline
// prints a row per move; the HTML page a column. Invariant: every event is in exactly one move,
// in order, and a move records only the lanes it changes, so reading costs O(events).
// In compact mode the machine's bookkeeping (a timer armed or disarmed, a scheduler's pick) is
// not a move of its own: it belongs to the move that follows it (at the end, the one before).

import type { TraceEvent } from "../events";
import { type Lane, lanesOf } from "./lanes";
import { causeText, endsTask, ownText } from "./words";

/** Lane states. */
export const NOT_SPAWNED = 0;
export const READY = 1;
export const RUNNING = 2;
export const PARKED = 3;
export const DONE = 4;

/** One thing that happened, as a reader sees it. */
export interface Move {
  /** Index of its first and last event in the trace. */
  readonly first: number;
  readonly last: number;
  readonly t: number;
  /** The lane (index into `lanes`) of the task it happened to. */
  readonly lane: number;
  readonly text: string;
  /** The same, with nothing shortened (a thrown error's message): for hover details. */
  readonly full: string;
  /** How many characters at the end of `text` must survive when it is cut (the poll's outcome). */
  readonly tail: number;
  /** The lane of the task that caused it (a spawn or wake from another task), or -1. */
  readonly causeLane: number;
  readonly causeText: string | undefined;
  /** The lane states it sets, as pairs: lane, state, lane, state. */
  readonly changes: readonly number[];
}

export interface Moves {
  readonly lanes: Lane[];
  readonly moves: Move[];
}

/**
 * Walk the lane states: `visit(k, state)` sees every lane's state before move k, for k = 0 …
 * moves.length (the last call is the final state). `state` is reused from call to call.
 */
export function replayStates(m: Moves, visit: (k: number, state: readonly number[]) => void): void {
  const state = m.lanes.map(() => NOT_SPAWNED);
  for (let k = 0; k < m.moves.length; k++) {
    visit(k, state);
    const c = (m.moves[k] as Move).changes;
    for (let j = 0; j < c.length; j += 2) state[c[j] as number] = c[j + 1] as number;
  }
  visit(m.moves.length, state);
}

/**
 * Read `events` as moves. With `compact`, a poll is joined with the Ready, park, throw or
 * wake-itself-and-requeue that follows it, and a timer with the wake it causes; only adjacent
 * events of one task are joined, so nothing that happened in between is hidden (bookkeeping —
 * arm, disarm, pick — is folded into the next move).
 */
export function movesOf(events: readonly TraceEvent[], compact: boolean): Moves {
  const lanes = lanesOf(events);
  const laneOf = new Map<number, number>();
  lanes.forEach((lane, i) => laneOf.set(lane.id, i));
  const state: number[] = lanes.map(() => NOT_SPAWNED);
  const moves: Move[] = [];
  let quietFrom = -1;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as TraceEvent;
    if (compact && isQuiet(e.kind)) {
      if (quietFrom < 0) quietFrom = i;
      continue;
    }
    const first = quietFrom < 0 ? i : quietFrom;
    quietFrom = -1;
    let text = ownText(e);
    let full = text;
    let tail = 0;
    if (compact) {
      const joined = joinWithOutcome(events, i);
      if (joined !== undefined) {
        text = joined.text;
        full = joined.full ?? joined.text;
        tail = joined.tail;
        i = joined.last;
      }
    }
    const lane = laneOf.get(e.task) as number;
    const cause = causeText(e);
    const causeLane = cause === undefined ? -1 : (laneOf.get(e.by as number) as number);
    const changes: number[] = [];
    if (causeLane >= 0 && state[causeLane] !== DONE && state[causeLane] !== RUNNING) {
      // A spawn or wake happens inside the causing task's step: it is running. (Not when a
      // finished task wakes its joiners, which comes just after its own "complete".)
      state[causeLane] = RUNNING;
      changes.push(causeLane, RUNNING);
    }
    const after = stateAfter(events[i] as TraceEvent, state[lane] as number);
    if (after !== state[lane]) {
      state[lane] = after;
      changes.push(lane, after);
    }
    moves.push({ first, last: i, t: e.t, lane, text, full, tail, causeLane, causeText: cause, changes });
  }
  if (quietFrom >= 0) {
    const end = moves.pop();
    if (end !== undefined) moves.push({ ...end, last: events.length - 1 });
    else {
      // Only bookkeeping (a trace cut to a window): one move for it, in its task's lane.
      const e = events[quietFrom] as TraceEvent;
      moves.push({ first: quietFrom, last: events.length - 1, t: e.t, lane: laneOf.get(e.task) as number, text: ownText(e), full: ownText(e), tail: 0, causeLane: -1, causeText: undefined, changes: [] });
    }
  }
  return { lanes, moves };
}

/** Kinds that change the machine's bookkeeping but no task's lane: folded into a neighbouring move. */
export function isQuiet(kind: string): boolean {
  return kind === "arm" || kind === "disarm" || kind === "pick";
}

/** The index of the first event at or after `j` that is not bookkeeping. */
function loud(list: readonly TraceEvent[], j: number): number {
  while (j < list.length && isQuiet((list[j] as TraceEvent).kind)) j++;
  return j;
}

/** A lane's state once `e` (the last event of its move) has happened. */
function stateAfter(e: TraceEvent, before: number): number {
  if (endsTask(e.kind)) return DONE;
  switch (e.kind) {
    case "spawn":
    case "pending":
      return READY;
    case "park":
      return PARKED;
    case "wake":
      return e.by === e.task || before === RUNNING ? RUNNING : READY;
    case "timer":
      return before;
    default:
      return RUNNING; // poll, ready, and whatever else a task does while it runs
  }
}

interface Joined {
  text: string;
  full?: string;
  tail: number;
  last: number;
}

function joinWithOutcome(list: readonly TraceEvent[], i: number): Joined | undefined {
  const e = list[i] as TraceEvent;
  const ia = loud(list, i + 1);
  const a = list[ia];
  if (a === undefined || a.task !== e.task) return undefined;
  if (e.kind === "timer" && a.kind === "wake" && a.by === "timer") return { text: "timer fires → woken", tail: 0, last: ia };
  if (e.kind !== "poll") return undefined;
  const polled = e.detail ?? "a future";
  if (a.kind === "ready") return outcome(polled, "Ready", ia);
  if (a.kind === "throw") {
    // The row names the error ("→ threw TimeoutError"); its message is in `full` and the trace.
    const name = a.detail === undefined ? "" : ` ${a.detail.split(":")[0]}`;
    return { ...outcome(polled, `threw${name}`, ia), full: `poll ${polled} → threw${a.detail === undefined ? "" : ` ${a.detail}`}` };
  }
  if (a.kind === "park") {
    // The park names the same future, sometimes more precisely ("sleep(5) until t=5").
    const what = a.detail !== undefined && a.detail.startsWith(polled) ? a.detail : polled;
    return outcome(what, "park", ia);
  }
  const ib = loud(list, ia + 1);
  const b = list[ib];
  if (a.kind === "wake" && a.by === e.task && b !== undefined && b.task === e.task && b.kind === "pending") return outcome(polled, "requeued", ib);
  return undefined;
}

function outcome(what: string, result: string, last: number): Joined {
  const tail = ` → ${result}`;
  return { text: `poll ${what}${tail}`, tail: tail.length, last };
}

// Lanes: the tasks a trace mentions, one lane each, in id order (which is spawn order), with
// the label every renderer shows ("#3 producer"). Also the one place that checks a trace is
// well-formed, so each renderer rejects bad input with the same clear error.

import type { TraceEvent } from "../events";
import { describeValue } from "../poll";

/** One task's lane in a rendering. */
export interface Lane {
  readonly id: number;
  readonly name: string | undefined;
  /** `#3 producer`, or `#3` for an unnamed task. */
  readonly label: string;
}

/**
 * The events as an array, each checked to have a finite `t`, a string `kind` and a whole
 * `task` id. `who` names the caller in the TypeError.
 */
export function checkEvents(events: Iterable<TraceEvent> | ArrayLike<TraceEvent>, who: string): readonly TraceEvent[] {
  if (events === null || typeof events !== "object") {
    throw new TypeError(`${who} needs an array of trace events (runtime.trace), not ${describeValue(events)}`);
  }
  const list: readonly TraceEvent[] = Array.isArray(events)
    ? events
    : typeof (events as Iterable<TraceEvent>)[Symbol.iterator] === "function"
      ? Array.from(events as Iterable<TraceEvent>)
      : Array.from(events as ArrayLike<TraceEvent>);
  for (let i = 0; i < list.length; i++) {
    const e = list[i] as TraceEvent;
    if (e === null || typeof e !== "object") throw new TypeError(`${who}: event ${i} is ${describeValue(e)}, not a trace event`);
    if (typeof e.t !== "number" || !Number.isFinite(e.t)) throw new TypeError(`${who}: event ${i} has t = ${describeValue(e.t)}, not a time in ms`);
    if (typeof e.kind !== "string") throw new TypeError(`${who}: event ${i} has kind = ${describeValue(e.kind)}, not a string`);
    if (typeof e.task !== "number" || !Number.isInteger(e.task)) throw new TypeError(`${who}: event ${i} has task = ${describeValue(e.task)}, not a task id`);
  }
  return list;
}

/** Every task the events mention (as `task` or as a waker in `by`), ordered by id. */
export function lanesOf(events: readonly TraceEvent[]): Lane[] {
  const names = new Map<number, string | undefined>();
  for (const e of events) {
    if (!names.has(e.task) || (names.get(e.task) === undefined && e.name !== undefined)) names.set(e.task, e.name);
    if (typeof e.by === "number" && !names.has(e.by)) names.set(e.by, undefined);
  }
  return [...names.keys()]
    .sort((a, b) => a - b)
    .map((id) => {
      const name = names.get(id);
      return { id, name, label: name === undefined ? `#${id}` : `#${id} ${name}` };
    });
}

/** A runtime-clock time for people: whole ms as they are, fractions to three places. */
export function formatTime(t: number): string {
  return Number.isInteger(t) ? String(t) : t.toFixed(3);
}

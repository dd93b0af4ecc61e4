// scheduleArbitrary(): schedules as fast-check values. An array of small choices, so
// fast-check's own array shrinker moves a failure toward FIFO (fewer, smaller entries), and
// each value prints as a pasteable `replay("w1:…")`. Invariant: every generated value is a
// valid Schedule (clamping makes any choice meaningful).

import type * as fc from "fast-check";
import { describeValue } from "../poll";
import { fastCheck } from "./fast-check";
import { encodeSchedule, type Schedule } from "./schedule";

/** Options of {@link scheduleArbitrary}. @public */
export interface ScheduleArbitraryOptions {
  /** Most decision points a generated schedule steers (default 64); later ones take FIFO. */
  maxDecisions?: number;
  /** Largest choice generated (default 7); a choice past the last ready task means the last. */
  maxChoice?: number;
}

/**
 * A fast-check Arbitrary of schedules, shrinking toward FIFO; values print as
 * `replay("w1:…")`. Pair it with input arbitraries and run the test under it with
 * `check(test, { replay: schedule })`.
 *
 * ```ts
 * fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), scheduleArbitrary(), (n, schedule) => {
 *   check((rt) => { … spawn n tasks … }, { replay: schedule });
 * }));
 * ```
 * @public
 */
export function scheduleArbitrary(options: ScheduleArbitraryOptions = {}): fc.Arbitrary<Schedule> {
  if (options === null || typeof options !== "object") throw new TypeError(`scheduleArbitrary() options must be an object, not ${describeValue(options)}`);
  const maxDecisions = whole("maxDecisions", options.maxDecisions, 64);
  const maxChoice = whole("maxChoice", options.maxChoice, 7);
  const fc = fastCheck();
  // fast-check sizes arrays "small" (at most 10 entries) unless told: without `size: "max"`
  // a bug whose deviation comes after decision 10 could never be generated.
  return fc.array(fc.nat({ max: maxChoice }), { maxLength: maxDecisions, size: "max" }).map(toScheduleValue, fromScheduleValue);
}

/** A plain `{ choices }` object that prints as its replay call in fast-check reports. */
function toScheduleValue(choices: number[]): Schedule {
  const schedule: Schedule = { choices };
  Object.defineProperty(schedule, fastCheck().toStringMethod, { value: () => `replay(${JSON.stringify(encodeSchedule(schedule))})`, enumerable: false });
  return schedule;
}

/** Lets fast-check shrink a schedule it did not generate itself (e.g. one given in `examples`). */
function fromScheduleValue(value: unknown): number[] {
  const choices = (value as Schedule | null)?.choices;
  if (!Array.isArray(choices) || !choices.every((c) => Number.isInteger(c) && c >= 0)) throw new Error("not a schedule");
  return choices;
}

function whole(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new RangeError(`scheduleArbitrary() ${name} must be a whole number ≥ 0, not ${describeValue(v)}`);
  return v;
}

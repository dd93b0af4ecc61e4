// A Schedule: the choices made at each decision point, as plain data, and its replay token.
// Invariant: every array of non-negative integers is a valid schedule, [] is FIFO, and the
// mapping from a choice to the task it runs is monotone (clamped, never modulo), so smaller
// and fewer entries always mean "closer to FIFO": that is what makes schedules shrink.

import { describeValue } from "../poll";

/**
 * One entry per decision point (a moment when two or more tasks are ready, including tasks
 * woken together by timers due at the same instant). Choice `k` runs the k-th ready task in
 * FIFO order, clamped to the last; missing entries are 0, so `{ choices: [] }` is FIFO.
 *
 * ```ts
 * const s: Schedule = { choices: [0, 1] }; // at the 2nd decision, run the 2nd ready task
 * ```
 * @public
 */
export interface Schedule {
  /** At the n-th decision point, which ready task runs (its index in FIFO order). */
  choices: number[];
}

/** The token format's version prefix. A later format gets a new prefix; old tokens keep working. */
export const TOKEN_PREFIX = "w1:";

const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
/** A run of this many zeros or more is written as `_count_` instead of one `0` each. */
const MIN_RUN = 4;

/**
 * A schedule's replay token: `w1:` and one character per decision (base 36, `0` = FIFO),
 * with `.n.` for a choice of 36 or more and `_n_` for a run of n zeros (n in base 36).
 * Trailing zeros are dropped, since missing entries mean 0.
 *
 * ```ts
 * encodeSchedule({ choices: [0, 1] });                 // "w1:01"
 * encodeSchedule({ choices: [0, 0, 0, 0, 0, 0, 2] });  // "w1:_6_2"
 * ```
 * @public
 */
export function encodeSchedule(schedule: Schedule): string {
  return encodeChoices(TOKEN_PREFIX, checkSchedule(schedule, "encodeSchedule").choices);
}

/** The token body shared by every format: `prefix`, then the choices as described above. */
export function encodeChoices(prefix: string, choices: readonly number[]): string {
  let end = choices.length;
  while (end > 0 && choices[end - 1] === 0) end--;
  let out = prefix;
  for (let i = 0; i < end; ) {
    const v = choices[i];
    if (v === 0) {
      let j = i;
      while (j < end && choices[j] === 0) j++;
      out += j - i >= MIN_RUN ? `_${(j - i).toString(36)}_` : "0".repeat(j - i);
      i = j;
      continue;
    }
    out += v < 36 ? DIGITS[v] : `.${v.toString(36)}.`;
    i++;
  }
  return out;
}

/**
 * The schedule a token stands for (the inverse of {@link encodeSchedule}, trailing zeros
 * dropped). Throws a RangeError naming the position of anything malformed.
 *
 * ```ts
 * decodeSchedule("w1:_6_2"); // { choices: [0, 0, 0, 0, 0, 0, 2] }
 * ```
 * @public
 */
export function decodeSchedule(token: string): Schedule {
  return { choices: decodeChoices(TOKEN_PREFIX, "w", token) };
}

/** The inverse of {@link encodeChoices} for the format `prefix` (whose letter is `letter`). */
export function decodeChoices(prefix: string, letter: string, token: string): number[] {
  if (typeof token !== "string") throw new TypeError(`a replay token must be a string, not ${describeValue(token)}`);
  const text = token.trim();
  if (!text.startsWith(prefix)) {
    const version = new RegExp(`^${letter}(\\d+):`).exec(text);
    if (version !== null) {
      throw new RangeError(`replay token ${describeValue(token)} has format ${letter}${version[1]}, which this version of wakeful does not read (it reads ${prefix})`);
    }
    throw new RangeError(`${describeValue(token)} is not a wakeful replay token of this kind: these tokens start with "${prefix}"`);
  }
  const choices: number[] = [];
  let i = prefix.length;
  while (i < text.length) {
    const c = text[i];
    if (c === "_" || c === ".") {
      const close = text.indexOf(c, i + 1);
      const digits = close < 0 ? "" : text.slice(i + 1, close);
      if (!/^[0-9a-z]+$/.test(digits)) {
        throw new RangeError(`replay token ${describeValue(token)}: "${c}" at position ${i} must enclose a base-36 number and close with "${c}"`);
      }
      const n = parseInt(digits, 36);
      if (c === "_") for (let k = 0; k < n; k++) choices.push(0);
      else choices.push(n);
      i = close + 1;
      continue;
    }
    const v = DIGITS.indexOf(c);
    if (v < 0) throw new RangeError(`replay token ${describeValue(token)}: unexpected ${JSON.stringify(c)} at position ${i}`);
    choices.push(v);
    i++;
  }
  return trimSchedule(choices);
}

/** The same choices without trailing zeros (they mean FIFO either way). */
export function trimSchedule(choices: readonly number[]): number[] {
  let end = choices.length;
  while (end > 0 && choices[end - 1] === 0) end--;
  return choices.slice(0, end);
}

/** Validate a schedule (or a token) given by a user; `who` names the caller in errors. */
export function toSchedule(value: string | Schedule, who: string): Schedule {
  if (typeof value === "string") return decodeSchedule(value);
  return checkSchedule(value, who);
}

function checkSchedule(schedule: Schedule, who: string): Schedule {
  if (schedule === null || typeof schedule !== "object" || !Array.isArray(schedule.choices)) {
    throw new TypeError(`${who} needs a schedule { choices: number[] } or a replay token, not ${describeValue(schedule)}`);
  }
  const choices = schedule.choices;
  for (let i = 0; i < choices.length; i++) {
    const v = choices[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      throw new RangeError(`${who}: choice ${i} must be a whole number ≥ 0, not ${describeValue(v)}`);
    }
  }
  return schedule;
}

/** How many entries deviate from FIFO. */
export function deviations(choices: readonly number[]): number {
  let n = 0;
  for (const c of choices) if (c !== 0) n++;
  return n;
}

/** `{ choices: [0, 1] }`, as a user would write it. */
export function showSchedule(choices: readonly number[]): string {
  return `{ choices: [${choices.join(", ")}] }`;
}

// Depth-first enumeration of schedules (stateless, as in CHESS and shuttle's DFS scheduler):
// replay a prefix of choices, take FIFO after it, and backtrack at the deepest decision point
// that still has an untried task. Invariant: for a deterministic test each schedule (within the
// deviation bound) is run exactly once, and `exhausted` is true only when all of them were.
// The same frontier enumerates preemption-relative choices (costly decisions count, others are free).

import type { Footprint } from "../footprint";
import type { RecordingScheduler } from "./recorder";

/** The DFS frontier: which schedule to run next. */
export class DfsFrontier {
  /** The choices to force on the next run; decisions after them take FIFO. */
  prefix: number[] = [];
  exhausted = false;
  /** Decisions at this index or later are never made to deviate (the shrinker's pruning). */
  maxIndex = Infinity;

  constructor(private readonly maxDeviations: number) {}

  /**
   * Take the run of the current prefix and move to the next schedule. Returns a description of
   * the mismatch when the run did not follow its prefix (the test is nondeterministic).
   */
  advance(choices: readonly number[], candidates: readonly number[], costly?: readonly boolean[]): string | undefined {
    const prefix = this.prefix;
    for (let i = 0; i < prefix.length; i++) {
      if (i >= choices.length || choices[i] !== prefix[i]) {
        const had = i >= choices.length ? "no decision point" : `${candidates[i]} ready task${candidates[i] === 1 ? "" : "s"}`;
        return `replaying the prefix [${prefix.join(", ")}], decision ${i} found ${had} where an earlier run of the same prefix could take choice ${prefix[i]}`;
      }
    }
    // Deviations used by choices[0 … j-1], to respect the bound when choice j becomes non-zero.
    // With `costly` (preemption bounding), only the decisions it marks count against the bound.
    const before: number[] = new Array(choices.length);
    let used = 0;
    for (let j = 0; j < choices.length; j++) {
      before[j] = used;
      if (choices[j] !== 0 && (costly === undefined || costly[j])) used++;
    }
    for (let j = choices.length - 1; j >= 0; j--) {
      const cost = costly === undefined || costly[j] ? 1 : 0;
      if (j < this.maxIndex && choices[j] + 1 < candidates[j] && before[j] + cost <= this.maxDeviations) {
        this.prefix = choices.slice(0, j);
        this.prefix.push(choices[j] + 1);
        return undefined;
      }
    }
    this.exhausted = true;
    return undefined;
  }
}

/** What a systematic strategy needs from a finished run. */
export interface RunChoices {
  readonly choices: readonly number[];
  readonly candidates: readonly number[];
  readonly pchoices: readonly number[];
  readonly costly: readonly boolean[];
  /** With footprints collected: every step, and the ready task ids at every decision point. */
  readonly transitions: readonly Transition[] | undefined;
  readonly readyIds: readonly (readonly number[])[] | undefined;
}

/** One step of a run, for partial-order reduction. */
export interface Transition {
  readonly task: number;
  readonly footprint: Footprint;
  /** The decision point this step was chosen at, or -1 when it was the only ready task. */
  readonly decision: number;
}

/** A strategy that enumerates schedules: the next one to run, and what a run teaches it. */
export interface Systematic {
  /** The scheduler of the next schedule. */
  scheduler(): RecordingScheduler;
  /** Take a run of that scheduler; a description of the mismatch when it did not follow its prefix. */
  advance(run: RunChoices): string | undefined;
  readonly exhausted: boolean;
  /** True when runs must collect footprints (transitions) for it. */
  readonly collects: boolean;
}

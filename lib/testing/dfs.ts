// Depth-first enumeration of schedules (stateless, as in CHESS and shuttle's DFS scheduler):
// replay a prefix of choices, take FIFO after it, and backtrack at the deepest decision point
// that still has an untried task. Invariant: for a deterministic test each schedule (within the
// deviation bound) is run exactly once, and `exhausted` is true only when all of them were.

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
  advance(choices: readonly number[], candidates: readonly number[]): string | undefined {
    const prefix = this.prefix;
    for (let i = 0; i < prefix.length; i++) {
      if (i >= choices.length || choices[i] !== prefix[i]) {
        const had = i >= choices.length ? "no decision point" : `${candidates[i]} ready task${candidates[i] === 1 ? "" : "s"}`;
        return `replaying the prefix [${prefix.join(", ")}], decision ${i} found ${had} where an earlier run of the same prefix could take choice ${prefix[i]}`;
      }
    }
    // Deviations used by choices[0 … j-1], to respect the bound when choice j becomes non-zero.
    const before: number[] = new Array(choices.length);
    let used = 0;
    for (let j = 0; j < choices.length; j++) {
      before[j] = used;
      if (choices[j] !== 0) used++;
    }
    for (let j = choices.length - 1; j >= 0; j--) {
      if (j < this.maxIndex && choices[j] + 1 < candidates[j] && before[j] + 1 <= this.maxDeviations) {
        this.prefix = choices.slice(0, j);
        this.prefix.push(choices[j] + 1);
        return undefined;
      }
    }
    this.exhausted = true;
    return undefined;
  }
}

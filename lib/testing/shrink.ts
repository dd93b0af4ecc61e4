// Shrinking a failing schedule toward FIFO. Order of "smaller": fewer deviations, then an
// earlier last decision (shorter), then smaller choices. Two phases:
//
//   1. local: remove, zero and lower entries, re-running each candidate and keeping it only if it
//      fails the same way (same failure key) and what it took is strictly smaller. Cheap, and it
//      bounds phase 2 — but a deadlock that needs three tasks lined up can leave it stuck at a
//      local minimum with too many deviations.
//   2. search: a bounded DFS over every schedule with 0, 1, 2, … deviations (the CHESS idea of
//      iterative context bounding), pruned by the best failure so far. When it completes within
//      the budget, the result is the least failing schedule of all: minimal, and the same
//      whichever strategy or seed found the bug.
//
// Invariant: the result always fails the same way as the failure it started from.

import { DfsFrontier } from "./dfs";
import { deviations, trimSchedule } from "./schedule";
import { failureKey, type RunOutcome } from "./run";

/** The result of shrinking: the smallest failing run found, and the effort it took. */
export interface Shrunk {
  readonly outcome: RunOutcome;
  readonly choices: number[];
  /** Candidates run. */
  readonly attempts: number;
  /** True when the search completed: no smaller schedule fails the same way. */
  readonly minimal: boolean;
}

/** True when schedule `a` is closer to FIFO than `b`: fewer deviations, then shorter, then smaller. */
export function smaller(a: readonly number[], b: readonly number[]): boolean {
  const da = deviations(a);
  const db = deviations(b);
  if (da !== db) return da < db;
  if (a.length !== b.length) return a.length < b.length;
  let sa = 0;
  let sb = 0;
  for (const v of a) sa += v;
  for (const v of b) sb += v;
  if (sa !== sb) return sa < sb;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/**
 * Shrink the failing run `found`. `run(choices)` replays a candidate; at most `maxAttempts`
 * candidates are run in all.
 */
export function shrinkFailure(found: RunOutcome, run: (choices: number[]) => RunOutcome, maxAttempts: number): Shrunk {
  const key = failureKey(found);
  let best = trimSchedule(found.choices);
  let outcome = found;
  let attempts = 0;

  /** Run a candidate; keep it when it fails the same way and is smaller. */
  const attempt = (candidate: number[]): RunOutcome | undefined => {
    attempts++;
    const o = run(candidate);
    if (o.kind === undefined || failureKey(o) !== key) return o;
    const taken = trimSchedule(o.choices); // clamping may have made it smaller still
    if (smaller(taken, best)) {
      best = taken;
      outcome = o;
    }
    return o;
  };
  const improves = (candidate: number[]): boolean => {
    if (attempts >= maxAttempts) return false;
    const before = best;
    attempt(candidate);
    return best !== before;
  };

  localShrink(() => best, improves, () => attempts < maxAttempts);
  const minimal = search(() => best, attempt, () => attempts < maxAttempts, key);
  if (minimal) localShrink(() => best, improves, () => attempts < maxAttempts); // polish within the bound
  return { outcome, choices: best, attempts, minimal };
}

/** Phase 1: the local passes, repeated until none improves. */
function localShrink(best: () => number[], improves: (c: number[]) => boolean, budget: () => boolean): void {
  // A random walk deviates almost everywhere; the bug usually needs only an early part of it.
  // Find a short failing prefix first (everything after it is FIFO).
  for (let len = 1; len < best().length; len *= 2) {
    if (improves(best().slice(0, len))) break;
  }
  let improved = true;
  while (improved && budget()) {
    improved = false;
    // Zero each deviation: fewer deviations is what matters most.
    for (let i = 0; i < best().length; i++) {
      if (best()[i] === 0) continue;
      const c = best().slice();
      c[i] = 0;
      if (improves(c)) {
        improved = true;
        i--;
      }
    }
    // Remove the zeros before each deviation, all at once: the deviation moves to an earlier
    // decision (often one where the same task is ready, as the run so far is the same).
    for (let i = 0; i < best().length; i++) {
      if (best()[i] === 0) continue;
      let j = i;
      while (j > 0 && best()[j - 1] === 0) j--;
      if (j < i && improves(best().slice(0, j).concat(best().slice(i)))) {
        improved = true;
        i = j;
      }
    }
    // Remove chunks, large to small, at every start (the zeros between two deviations rarely
    // line up with a chunk boundary).
    for (let size = (best().length + 1) >> 1; size >= 1; size = size === 1 ? 0 : (size + 1) >> 1) {
      for (let i = 0; i + size <= best().length; ) {
        if (improves(best().slice(0, i).concat(best().slice(i + size)))) improved = true;
        else i++;
      }
    }
    // Lower each deviation: to 1, then halfway, then by one.
    for (let i = 0; i < best().length; i++) {
      const v = best()[i];
      if (v <= 1) continue;
      for (const lower of [1, v >> 1, v - 1]) {
        if (lower < 1 || lower >= best()[i]) continue;
        const c = best().slice();
        c[i] = lower;
        if (improves(c)) {
          improved = true;
          break;
        }
      }
    }
  }
}

/**
 * Phase 2: every schedule with at most d deviations, for d = 0, 1, … up to the best's count,
 * pruned to deviations before the best's last one once a failure of that count is known.
 * Returns true when it completed (the best is then the least failing schedule).
 */
function search(best: () => number[], attempt: (c: number[]) => RunOutcome | undefined, budget: () => boolean, key: string): boolean {
  const limit = deviations(best());
  for (let d = 0; d <= limit; d++) {
    const frontier = new DfsFrontier(d);
    // With the best at d deviations already, only schedules shorter than it can beat it.
    if (deviations(best()) === d) frontier.maxIndex = best().length;
    let failedAtThisCount = false;
    while (!frontier.exhausted) {
      if (!budget()) return false;
      const o = attempt(frontier.prefix.slice()) as RunOutcome;
      if (o.kind !== undefined && failureKey(o) === key) {
        failedAtThisCount = true;
        // Only schedules shorter than the best can still beat it (with d deviations each).
        frontier.maxIndex = best().length;
      }
      if (frontier.advance(o.choices, o.candidates) !== undefined) return false; // nondeterministic: stop searching
    }
    if (failedAtThisCount) return true;
  }
  return true;
}

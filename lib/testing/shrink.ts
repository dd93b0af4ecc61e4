// Shrinking a failing schedule toward FIFO: fewer deviations first, then an earlier last one,
// then smaller choices. Each candidate is re-run and kept only if it fails the same way (same
// failure key) and what it actually took is strictly smaller, so shrinking always terminates,
// at a local minimum where no single removal, zeroing or lowering still fails.

import { deviations, trimSchedule } from "./schedule";
import { failureKey, type RunOutcome } from "./run";

/** The result of shrinking: the smallest failing run found, and the effort it took. */
export interface Shrunk {
  readonly outcome: RunOutcome;
  readonly choices: number[];
  /** Candidates run. */
  readonly attempts: number;
  /** Candidates kept (each a strictly smaller failing schedule). */
  readonly steps: number;
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
 * candidates are tried.
 */
export function shrinkFailure(found: RunOutcome, run: (choices: number[]) => RunOutcome, maxAttempts: number): Shrunk {
  const key = failureKey(found);
  let best = trimSchedule(found.choices);
  let outcome = found;
  let attempts = 0;
  let kept = 0;

  const attempt = (candidate: number[]): boolean => {
    if (attempts >= maxAttempts) return false;
    attempts++;
    const o = run(candidate);
    if (o.kind === undefined || failureKey(o) !== key) return false;
    const taken = trimSchedule(o.choices); // clamping may have made it smaller still
    if (!smaller(taken, best)) return false;
    best = taken;
    outcome = o;
    kept++;
    return true;
  };

  // A random walk deviates almost everywhere; the bug usually needs only an early part of it.
  // Find a short failing prefix first (everything after it is FIFO): cheap, and it makes the
  // passes below work on a short array.
  for (let len = 0; len < best.length; len = len === 0 ? 1 : len * 2) {
    if (attempt(best.slice(0, len))) break;
  }

  let improved = true;
  while (improved && attempts < maxAttempts) {
    improved = false;
    // Zero each deviation: fewer deviations is what matters most.
    for (let i = 0; i < best.length; i++) {
      if (best[i] === 0) continue;
      const c = best.slice();
      c[i] = 0;
      if (attempt(c)) {
        improved = true;
        i--;
      }
    }
    // Remove chunks, large to small: drops deviations, and pulls later ones to earlier decisions.
    for (let size = Math.max(1, best.length >> 1); size >= 1; size >>= 1) {
      // Every start, not just multiples of `size`: the zeros between two deviations rarely
      // line up with a chunk boundary.
      for (let i = 0; i + size <= best.length; ) {
        const c = best.slice(0, i).concat(best.slice(i + size));
        if (attempt(c)) improved = true;
        else i++;
      }
    }
    // Lower each deviation: to 1, then halfway, then by one.
    for (let i = 0; i < best.length; i++) {
      const v = best[i];
      if (v <= 1) continue;
      for (const lower of [1, v >> 1, v - 1]) {
        if (lower < 1 || lower >= best[i]) continue;
        const c = best.slice();
        c[i] = lower;
        if (attempt(c)) {
          improved = true;
          break;
        }
      }
    }
  }
  return { outcome, choices: best, attempts, steps: kept };
}

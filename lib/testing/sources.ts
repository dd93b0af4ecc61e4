// Watch the host's sources of nondeterminism while a schedule runs: Date.now(),
// performance.now() and Math.random(). A program that reads them can behave differently on the
// same schedule, so explore reports the reads (who read what) instead of a plain failure.
// Invariant: the originals are back in place when a run ends, however it ends.

import { currentTask } from "../current";

/** One read of a watched source, and the task that made it (if any). */
export interface SourceRead {
  readonly source: string;
  readonly task: string | undefined;
}

/** Run `body` with the sources watched; returns its result and every read made meanwhile. */
export function watchSources<T>(body: () => T): { result: T; reads: SourceRead[] } {
  const reads: SourceRead[] = [];
  const restore: (() => void)[] = [];
  const watch = <O extends object>(owner: O | undefined, key: keyof O & string, source: string) => {
    if (owner === undefined || typeof owner[key] !== "function") return;
    const original = owner[key] as unknown as (...args: unknown[]) => unknown;
    (owner as Record<string, unknown>)[key] = function (this: unknown, ...args: unknown[]) {
      const t = currentTask();
      reads.push({ source, task: t === undefined ? undefined : `#${t.id}${t.name === undefined ? "" : ` "${t.name}"`}` });
      return original.apply(this, args);
    };
    restore.push(() => void ((owner as Record<string, unknown>)[key] = original));
  };
  watch(Date, "now", "Date.now()");
  watch(Math, "random", "Math.random()");
  watch((globalThis as { performance?: { now(): number } }).performance, "now", "performance.now()");
  try {
    return { result: body(), reads };
  } finally {
    for (const r of restore) r();
  }
}

/** The reads in words: `Date.now() read 2 times by task #1 "a"`, one line per source and reader. */
export function describeReads(reads: readonly SourceRead[]): string[] {
  const counts = new Map<string, number>();
  for (const r of reads) {
    const key = `${r.source} read by ${r.task === undefined ? "the test's setup" : `task ${r.task}`}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([what, n]) => `${what}${n === 1 ? "" : ` (${n} times)`}`);
}

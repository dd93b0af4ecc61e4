// What each step of a task touched, for wakeful/testing's partial-order reduction: two steps
// that touch nothing in common commute, so only one of their orders needs exploring. Sync
// primitives report the resource they use (`touch`); a task declares what its own code touches
// with `step(label, ...resources)`. Off (one `undefined` check per report) unless a test collects.

/** A step's footprint: the resources it touched, or ALL when its code declared nothing. */
export type Footprint = ReadonlySet<unknown> | typeof ALL;

/** Conflicts with every step: code whose footprint nobody declared. */
export const ALL = "all" as const;

/** Resources touched in the step being collected; undefined when nobody collects (production). */
let touched: Set<unknown> | undefined = undefined;
/** Per task id: what the task's code touches from its last `step()` on (absent: undeclared, ALL). */
const regions = new Map<number, readonly unknown[]>();
/** Declarations made during the current step: they take effect from the task's next step. */
const declared = new Map<number, readonly unknown[] | undefined>();
/** Tasks that have taken a step: a task's first step() also covers the code before it. */
const started = new Set<number>();

/** A sync primitive reports the resource one of its operations used. */
export function touch(resource: unknown): void {
  if (touched !== undefined) touched.add(resource);
}

/** True while a test collects footprints (a `step()` then records its declaration). */
export function collecting(): boolean {
  return touched !== undefined;
}

/** `step()`: from the task's next step on, its code touches `resources` (undefined: anything). */
export function declare(task: number, resources: readonly unknown[] | undefined): void {
  if (touched !== undefined) declared.set(task, resources);
}

/** Start collecting, for a fresh run: no task has declared anything yet. */
export function startCollecting(): void {
  touched = new Set();
  regions.clear();
  declared.clear();
  started.clear();
}

/** Stop collecting (production cost back to one check per report). */
export function stopCollecting(): void {
  touched = undefined;
  regions.clear();
  declared.clear();
  started.clear();
}

/**
 * The footprint of the step `task` just took: what its region declared when the step began
 * (for its first step, what that step declares), plus what sync primitives reported; then the
 * step's own declarations take effect.
 */
export function endStep(task: number): Footprint {
  const now = touched as Set<unknown>;
  touched = new Set();
  // The code before a task's first step() belongs to that step's region: a task that opens with
  // `yield* step(…, r)` has touched only r (and what sync primitives reported) on its way there.
  const region = regions.get(task) ?? (started.has(task) ? undefined : declared.get(task));
  started.add(task);
  let footprint: Footprint;
  if (region === undefined) footprint = ALL;
  else {
    for (const r of region) now.add(r);
    footprint = now;
  }
  if (declared.size > 0) {
    for (const [id, resources] of declared) {
      if (resources === undefined) regions.delete(id);
      else regions.set(id, resources);
    }
    declared.clear();
  }
  return footprint;
}

/** True when two footprints share a resource (or either is ALL): their steps may not commute. */
export function conflicts(a: Footprint, b: Footprint): boolean {
  if (a === ALL || b === ALL) return true;
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  for (const r of small) if (big.has(r)) return true;
  return false;
}

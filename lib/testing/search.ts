// The exhaustive strategies behind dfs: plain depth-first enumeration, and dynamic partial-order
// reduction (Flanagan & Godefroid, POPL 2005), which runs one schedule per class of equivalent
// ones. Two steps are equivalent to swap when their footprints share nothing (footprint.ts);
// after each run, every pair of conflicting steps of different tasks not already ordered by
// happens-before is a race, and the decision point before the first step of the pair gets the
// second task (or, if it was not ready there, every ready task) as a schedule still to try.
// Invariant: every deadlock and every final state of a deterministic test is reached.

import { conflicts, type Footprint } from "../footprint";
import { DfsFrontier, type RunChoices, type Systematic } from "./dfs";
import type { RecordingScheduler } from "./recorder";
import { replay } from "./schedulers";

/** Plain dfs over FIFO-relative choices, bounded by deviations from FIFO. */
export class DfsSearch implements Systematic {
  private readonly frontier: DfsFrontier;
  readonly collects = false;
  constructor(maxDeviations: number) {
    this.frontier = new DfsFrontier(maxDeviations);
  }
  scheduler(): RecordingScheduler {
    return replay({ choices: this.frontier.prefix });
  }
  advance(run: RunChoices): string | undefined {
    return this.frontier.advance(run.choices, run.candidates);
  }
  get exhausted(): boolean {
    return this.frontier.exhausted;
  }
}

/** A decision point on the current path. */
interface Node {
  /** Ready task ids, FIFO order (negative: the late-loop choice, always fully explored). */
  readonly ids: readonly number[];
  chosen: number;
  /** Tasks already run from here; tasks still to run from here. */
  readonly done: Set<number>;
  readonly backtrack: Set<number>;
}

/** dfs with dynamic partial-order reduction. */
export class DporSearch implements Systematic {
  private nodes: Node[] = [];
  private prefix: number[] = [];
  exhausted = false;
  readonly collects = true;

  scheduler(): RecordingScheduler {
    return replay({ choices: this.prefix });
  }

  advance(run: RunChoices): string | undefined {
    const ids = run.readyIds as readonly (readonly number[])[];
    const transitions = run.transitions ?? [];
    for (let d = 0; d < ids.length; d++) {
      const chosen = ids[d][run.choices[d]];
      const node = this.nodes[d];
      if (node === undefined) {
        const late = ids[d][0] < 0;
        this.nodes.push({ ids: ids[d], chosen, done: new Set([chosen]), backtrack: new Set(late ? ids[d] : [chosen]) });
      } else if (node.chosen !== chosen || !sameIds(node.ids, ids[d])) {
        return `decision ${d} found ready tasks [${ids[d].join(", ")}] and ran #${chosen}, where an earlier run of the same prefix had [${node.ids.join(", ")}] and ran #${node.chosen}`;
      }
    }
    if (ids.length < this.prefix.length) return `the run met ${ids.length} decision points, fewer than the ${this.prefix.length} of the prefix it replayed`;
    this.nodes.length = ids.length;
    this.races(transitions);
    this.next();
    return undefined;
  }

  /** Add a backtrack point for every race of the run (all of them, not only the latest: more is still sound). */
  private races(steps: RunChoices["transitions"] & object): void {
    // clocks[i]: for each task, the index of its latest step that happens before step i (or i itself).
    const clocks: Map<number, number>[] = new Array(steps.length);
    const lastOf = new Map<number, number>();
    for (let i = 0; i < steps.length; i++) {
      const p = steps[i].task;
      const mine: Footprint = steps[i].footprint;
      const prev = lastOf.get(p);
      const clock = new Map(prev === undefined ? undefined : clocks[prev]);
      for (let j = i - 1; j >= 0; j--) {
        const q = steps[j].task;
        if (q === p || !conflicts(steps[j].footprint, mine)) continue;
        if ((clock.get(q) ?? -1) < j) this.backtrackAt(steps[j].decision, p);
        for (const [task, at] of clocks[j]) if ((clock.get(task) ?? -1) < at) clock.set(task, at);
      }
      clock.set(p, i);
      clocks[i] = clock;
      lastOf.set(p, i);
    }
  }

  private backtrackAt(decision: number, task: number): void {
    if (decision < 0) return; // only one task was ready: nothing else could have run there
    const node = this.nodes[decision];
    if (node.ids.includes(task)) node.backtrack.add(task);
    else for (const id of node.ids) node.backtrack.add(id);
  }

  /** The deepest decision with a task still to try becomes the next prefix. */
  private next(): void {
    for (let d = this.nodes.length - 1; d >= 0; d--) {
      const node = this.nodes[d];
      for (let k = 0; k < node.ids.length; k++) {
        const id = node.ids[k];
        if (!node.backtrack.has(id) || node.done.has(id)) continue;
        node.done.add(id);
        node.chosen = id;
        this.nodes.length = d + 1;
        this.prefix = this.nodes.map((n) => n.ids.indexOf(n.chosen));
        return;
      }
    }
    this.nodes.length = 0;
    this.exhausted = true;
  }
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Timers: an indexed binary min-heap ordered by (deadline, creation sequence), so timers that
// share a deadline fire in the order they were armed. Entries are intrusive — the waiting future
// is itself the entry and knows its heap index — so arming allocates nothing and cancelling is
// an O(log n) removal: a timeout that never fires leaves nothing behind.
//
//   arm O(log n) · disarm O(log n) · earliest O(1) · pop O(log n)
//
// A hashed wheel (tokio's, after Varghese & Lauck) makes arm/disarm O(1), but its slot lists
// lose creation order within a tick; a heap keeps (deadline, seq) exact, which the
// deterministic scheduler and the "equal deadlines fire in creation order" rule need.
// With tracing on, the heap records every arm, disarm and fire (the trace can then rebuild it).

import type { Clock } from "./clock";
import { currentTask, type RunningTask } from "./current";
import type { TraceEvent, TraceSink } from "./events";

/** What the heap needs from an entry: the future that waits embeds these fields. */
export interface TimerEntry {
  /** When to fire, on the runtime clock (ms). */
  deadline: number;
  /** Arming order: breaks ties between equal deadlines. */
  seq: number;
  /** Position in the heap, or -1 when not armed (never armed, fired, or disarmed). */
  index: number;
  /** Called once when the deadline is reached (the entry is already out of the heap): wake its waiters. */
  fire(): void;
}

function before(a: TimerEntry, b: TimerEntry): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

/** The timer queue of one runtime. */
export class TimerHeap {
  private readonly heap: TimerEntry[] = [];
  private seq = 0;
  /** Where arm/disarm/fire events go; undefined (tracing off) costs one check per change. */
  private sink: TraceSink | undefined = undefined;
  private clock: Clock | undefined = undefined;
  /** Who armed each entry, kept only while tracing, so a fire or disarm names that task. */
  private owners: Map<TimerEntry, RunningTask | undefined> | undefined = undefined;

  /** Record every change of this heap as trace events stamped by `clock`. */
  record(sink: TraceSink, clock: Clock): void {
    this.sink = sink;
    this.clock = clock;
    this.owners = new Map();
  }

  get size(): number {
    return this.heap.length;
  }

  /** Arm `entry` for `deadline`. The entry must not be armed already. */
  arm(entry: TimerEntry, deadline: number): void {
    entry.deadline = deadline;
    entry.seq = this.seq++;
    entry.index = this.heap.length;
    this.heap.push(entry);
    this.up(entry.index);
    if (this.sink !== undefined) this.note("arm", entry);
  }

  /** Disarm `entry`; a no-op when it already fired or was disarmed. */
  disarm(entry: TimerEntry): void {
    if (entry.index < 0 || this.heap[entry.index] !== entry) return;
    this.remove(entry);
    if (this.sink !== undefined) this.note("disarm", entry);
  }

  private remove(entry: TimerEntry): void {
    const i = entry.index;
    entry.index = -1;
    const last = this.heap.pop() as TimerEntry;
    if (i === this.heap.length) return;
    this.heap[i] = last;
    last.index = i;
    this.down(i);
    this.up(last.index);
  }

  /** The earliest deadline, or `undefined` when no timer is armed. */
  nextDeadline(): number | undefined {
    const top = this.heap[0];
    return top === undefined ? undefined : top.deadline;
  }

  /**
   * The latest deadline among the timers due in `(after, upTo]`, or `undefined` when none is
   * (wakeful/testing's late-loop model: which timers one late event-loop phase would fire).
   * Visits only the entries due by `upTo`: a heap's subtree past it holds nothing earlier.
   */
  latestDueIn(after: number, upTo: number): number | undefined {
    let latest: number | undefined = undefined;
    const stack = this.heap.length > 0 ? [0] : [];
    while (stack.length > 0) {
      const i = stack.pop() as number;
      const d = (this.heap[i] as TimerEntry).deadline;
      if (d > upTo) continue;
      if (d > after && (latest === undefined || d > latest)) latest = d;
      if (2 * i + 1 < this.heap.length) stack.push(2 * i + 1);
      if (2 * i + 2 < this.heap.length) stack.push(2 * i + 2);
    }
    return latest;
  }

  /** Remove and return the earliest entry if it is due at `now`. */
  popDue(now: number): TimerEntry | undefined {
    const top = this.heap[0];
    if (top === undefined || top.deadline > now) return undefined;
    this.remove(top);
    if (this.sink !== undefined) this.note("timer", top);
    return top;
  }

  /** The armed entries in firing order, (deadline, seq) ascending: for inspection and tests, O(n log n). */
  sorted(): TimerEntry[] {
    return this.heap.slice().sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }

  /**
   * One trace event for a change of `entry`: its task is the one that armed it; a disarm by
   * another task names that one in `by`; a fire is `by: "timer"`, as the wake it causes.
   */
  private note(kind: "arm" | "disarm" | "timer", entry: TimerEntry): void {
    const owners = this.owners as Map<TimerEntry, RunningTask | undefined>;
    const now = currentTask();
    let owner: RunningTask | undefined;
    if (kind === "arm") {
      owner = now;
      owners.set(entry, owner);
    } else {
      owner = owners.get(entry) ?? now;
      owners.delete(entry);
    }
    const event: { -readonly [K in keyof TraceEvent]: TraceEvent[K] } = { t: (this.clock as Clock).now(), kind, task: owner === undefined ? 0 : owner.id };
    if (owner?.name !== undefined) event.name = owner.name;
    if (kind === "timer") {
      event.detail = `deadline ${entry.deadline}`;
      event.by = "timer";
    } else if (kind === "disarm" && now !== undefined && now !== owner) event.by = now.id;
    event.deadline = entry.deadline;
    event.seq = entry.seq;
    (this.sink as TraceSink)(event);
  }

  private up(i: number): void {
    const heap = this.heap;
    const entry = heap[i] as TimerEntry;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as TimerEntry;
      if (!before(entry, p)) break;
      heap[i] = p;
      p.index = i;
      i = parent;
    }
    heap[i] = entry;
    entry.index = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const entry = heap[i] as TimerEntry;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(heap[r] as TimerEntry, heap[l] as TimerEntry) ? r : l;
      const child = heap[c] as TimerEntry;
      if (!before(child, entry)) break;
      heap[i] = child;
      child.index = i;
      i = c;
    }
    heap[i] = entry;
    entry.index = i;
  }
}

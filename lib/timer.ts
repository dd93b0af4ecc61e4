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

import type { Waker } from "./waker";

/** What the heap needs from an entry: the future that waits embeds these fields. */
export interface TimerEntry {
  /** When to fire, on the runtime clock (ms). */
  deadline: number;
  /** Arming order: breaks ties between equal deadlines. */
  seq: number;
  /** Position in the heap, or -1 when not armed (never armed, fired, or disarmed). */
  index: number;
  /** Whom to wake when it fires. */
  waker: Waker | undefined;
}

function before(a: TimerEntry, b: TimerEntry): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

/** The timer queue of one runtime. */
export class TimerHeap {
  private readonly heap: TimerEntry[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Arm `entry` for `deadline`, waking `waker`. The entry must not be armed already. */
  arm(entry: TimerEntry, deadline: number, waker: Waker): void {
    entry.deadline = deadline;
    entry.seq = this.seq++;
    entry.waker = waker;
    entry.index = this.heap.length;
    this.heap.push(entry);
    this.up(entry.index);
  }

  /** Disarm `entry`; a no-op when it already fired or was disarmed. */
  disarm(entry: TimerEntry): void {
    const i = entry.index;
    if (i < 0 || this.heap[i] !== entry) return;
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
    this.disarm(top);
    return top;
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

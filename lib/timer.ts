// Timers: an indexed binary min-heap ordered by (deadline, creation sequence), so timers that
// share a deadline fire in the order they were created. Each entry knows its heap index, so
// cancelling is an O(log n) removal: a timeout that never fires leaves nothing behind.
//
//   insert O(log n) · remove O(log n) · earliest O(1) · pop O(log n)
//
// A hashed wheel (tokio's, after Varghese & Lauck) makes insert/remove O(1), but its slot
// order loses creation order within a millisecond; a heap keeps (deadline, seq) exact, which
// the deterministic scheduler and the "equal deadlines fire in creation order" rule need.

import type { Waker } from "./waker";

/** One armed timer: whom to wake, and when. */
export class TimerEntry {
  /** Position in the heap, or -1 when not armed (never inserted, fired, or removed). */
  index = -1;
  constructor(
    readonly deadline: number,
    readonly seq: number,
    public waker: Waker,
  ) {}
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

  /** Arm a timer for `deadline` that wakes `waker`. */
  add(deadline: number, waker: Waker): TimerEntry {
    const entry = new TimerEntry(deadline, this.seq++, waker);
    entry.index = this.heap.length;
    this.heap.push(entry);
    this.up(entry.index);
    return entry;
  }

  /** Disarm `entry`; a no-op when it already fired or was removed. */
  remove(entry: TimerEntry): void {
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

  /** Remove and return the earliest timer if it is due at `now`. */
  popDue(now: number): TimerEntry | undefined {
    const top = this.heap[0];
    if (top === undefined || top.deadline > now) return undefined;
    this.remove(top);
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

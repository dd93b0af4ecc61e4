// A FIFO ring buffer: O(1) push and shift with no per-item allocation, growing by doubling.
// It knows nothing about tasks; the run queue and every waiter queue use it.
// Invariant: items live at slots head, head+1, … head+length-1 (mod capacity), capacity a power of 2.

/** A growable FIFO ring buffer. @public */
export class RingQueue<T> {
  private slots: (T | undefined)[];
  private head = 0;
  private mask: number;
  /** Number of queued items. */
  length = 0;

  constructor(capacity = 16) {
    let cap = 4;
    while (cap < capacity) cap <<= 1;
    this.slots = new Array<T | undefined>(cap);
    this.mask = cap - 1;
  }

  /** Add `item` at the tail. */
  push(item: T): void {
    if (this.length > this.mask) this.grow();
    this.slots[(this.head + this.length) & this.mask] = item;
    this.length++;
  }

  /** Puts `item` at position `i` (0 = before the oldest), keeping the order of the rest. O(i). */
  insertAt(i: number, item: T): void {
    if (this.length > this.mask) this.grow();
    this.head = (this.head - 1) & this.mask;
    this.length++;
    for (let k = 0; k < i; k++) this.slots[(this.head + k) & this.mask] = this.slots[(this.head + k + 1) & this.mask];
    this.slots[(this.head + i) & this.mask] = item;
  }

  /** Removes and returns the oldest item; `undefined` when empty. */
  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.slots[this.head];
    this.slots[this.head] = undefined; // let the GC have it
    this.head = (this.head + 1) & this.mask;
    this.length--;
    return item;
  }

  /** The head item, left in place; undefined when empty. */
  peek(): T | undefined {
    return this.length === 0 ? undefined : this.slots[this.head];
  }

  /** The i-th oldest item (0 = the next to shift). */
  at(i: number): T | undefined {
    return i < 0 || i >= this.length ? undefined : this.slots[(this.head + i) & this.mask];
  }

  /** Removes the i-th oldest item, keeping the order of the rest. O(length); for schedulers and cancelled waiters. */
  removeAt(i: number): T | undefined {
    if (i < 0 || i >= this.length) return undefined;
    const item = this.at(i);
    for (let k = i; k < this.length - 1; k++) {
      this.slots[(this.head + k) & this.mask] = this.slots[(this.head + k + 1) & this.mask];
    }
    this.slots[(this.head + this.length - 1) & this.mask] = undefined;
    this.length--;
    return item;
  }

  /** Removes the first occurrence of `item`; true when it was there. */
  remove(item: T): boolean {
    for (let k = 0; k < this.length; k++) {
      if (this.slots[(this.head + k) & this.mask] === item) {
        this.removeAt(k);
        return true;
      }
    }
    return false;
  }

  /** The items, head first, as a new array. */
  toArray(): T[] {
    const out = new Array<T>(this.length);
    for (let k = 0; k < this.length; k++) out[k] = this.slots[(this.head + k) & this.mask] as T;
    return out;
  }

  /** Remove every item (their slots are cleared, so nothing is kept alive). */
  clear(): void {
    while (this.length > 0) this.shift();
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    const next = new Array<T | undefined>(cap);
    for (let k = 0; k < this.length; k++) next[k] = old[(this.head + k) & this.mask];
    this.slots = next;
    this.head = 0;
    this.mask = cap - 1;
  }
}

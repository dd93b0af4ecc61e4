// Minimal promise-based channel and mutex for the native async/await baselines: what a careful
// programmer writes by hand. A ready operation returns `undefined` (awaiting it costs one
// microtask, like `await null`); only an operation that has to wait allocates a Promise.

/** FIFO queue on an array with a moving head, compacted when half is dead (no Array.shift). */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** A bounded multi-producer, single-consumer channel. */
export class PromiseChannel<T> {
  private readonly buffer = new Fifo<T>();
  private receiver: ((value: T) => void) | undefined = undefined;
  private readonly senders = new Fifo<() => void>();

  constructor(private readonly capacity: number) {
    if (capacity < 1) throw new RangeError(`capacity must be ≥ 1, not ${capacity}`);
  }

  /** `undefined` when the value went straight in; otherwise a Promise settled once there is room. */
  send(value: T): Promise<void> | undefined {
    const r = this.receiver;
    if (r !== undefined) {
      this.receiver = undefined;
      r(value);
      return undefined;
    }
    if (this.buffer.length < this.capacity) {
      this.buffer.push(value);
      return undefined;
    }
    return new Promise<void>((resolve) => {
      this.senders.push(() => {
        this.buffer.push(value);
        resolve();
      });
    });
  }

  /** The next value, at once when one is buffered. */
  recv(): T | Promise<T> {
    if (this.buffer.length > 0) {
      const v = this.buffer.shift() as T;
      const s = this.senders.shift();
      if (s !== undefined) s();
      return v;
    }
    // Empty buffer: no sender can be waiting (they wait only on a full one, capacity ≥ 1).
    return new Promise<T>((resolve) => {
      this.receiver = resolve;
    });
  }
}

/** A FIFO mutex whose unlock hands the lock straight to the next waiter. */
export class PromiseMutex {
  private held = false;
  private readonly waiters = new Fifo<() => void>();

  lock(): Promise<void> | undefined {
    if (!this.held) {
      this.held = true;
      return undefined;
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  unlock(): void {
    const next = this.waiters.shift();
    if (next !== undefined) next();
    else this.held = false;
  }
}

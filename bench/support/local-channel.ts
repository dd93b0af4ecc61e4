// A BENCH-LOCAL bounded channel built on wakeful futures, used for W2/W6 until (and beside)
// the real `channel` from lib/sync. Deliberately minimal: one receiver, no close, no cancel
// safety, no FIFO guarantee among senders. It shows what a hand-off costs on the core alone.

import { Op, Poll, type Context, type Waker } from "../../lib/index";
import { RingQueue } from "../../lib/primitives/index";

const READY_VOID: Poll<void> = Poll.ready(undefined);

export class LocalChannel<T> {
  readonly buffer = new RingQueue<T>(16);
  receiver: Waker | undefined = undefined;
  readonly senders = new RingQueue<Waker>(16);

  constructor(readonly capacity: number) {}

  send(value: T): Op<void> {
    return new Send(this, value);
  }

  recv(): Op<T> {
    return new Recv(this);
  }

  /** A slot was freed: let the oldest waiting sender try again. */
  freed(): void {
    const s = this.senders.shift();
    if (s !== undefined) s.wake();
  }
}

class Send<T> extends Op<void> {
  constructor(
    private readonly ch: LocalChannel<T>,
    private readonly value: T,
  ) {
    super();
  }
  poll(cx: Context): Poll<void> {
    const ch = this.ch;
    if (ch.buffer.length < ch.capacity) {
      ch.buffer.push(this.value);
      const r = ch.receiver;
      if (r !== undefined) {
        ch.receiver = undefined;
        r.wake();
      }
      return READY_VOID;
    }
    ch.senders.push(cx.waker);
    return Poll.pending;
  }
  describe(): string {
    return "send on a bench-local channel";
  }
}

class Recv<T> extends Op<T> {
  constructor(private readonly ch: LocalChannel<T>) {
    super();
  }
  poll(cx: Context): Poll<T> {
    const ch = this.ch;
    if (ch.buffer.length > 0) {
      const v = ch.buffer.shift() as T;
      ch.freed();
      return Poll.ready(v);
    }
    ch.receiver = cx.waker;
    return Poll.pending;
  }
  describe(): string {
    return "recv on a bench-local channel";
  }
}

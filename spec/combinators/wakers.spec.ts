// Each child is polled with its own waker, and a combinator polls only the children that woke:
// a wake costs O(1) however many children there are (FuturesUnordered's design).

import { expect } from "chai";
import { Op, Poll, all, race, yieldNow } from "../../lib/index";
import type { Context, Waker } from "../../lib/index";
import { virtual } from "./helpers";

/** A future that counts its polls and is ready once opened; it keeps the last waker it was given. */
class Gate extends Op<number> {
  polls = 0;
  open = false;
  waker: Waker | undefined = undefined;
  constructor(readonly n: number) {
    super();
  }
  poll(cx: Context): Poll<number> {
    this.polls++;
    if (this.open) return Poll.ready(this.n);
    this.waker = cx.waker;
    return Poll.pending;
  }
  release(): void {
    this.open = true;
    this.waker?.wake();
  }
}

describe("child wakers", () => {
  it("polls only the child that woke, never the others", () => {
    const rt = virtual();
    const gates = Array.from({ length: 1000 }, (_, i) => new Gate(i));
    const h = rt.spawn(() => all(gates));
    rt.step();
    expect(gates.every((g) => g.polls === 1)).to.equal(true);
    (gates[500] as Gate).release();
    rt.step();
    expect(gates.map((g) => g.polls).reduce((a, b) => a + b)).to.equal(1001);
    expect((gates[500] as Gate).polls).to.equal(2);
    for (const g of gates) g.release();
    rt.runSync();
    expect(gates.map((g) => g.polls).reduce((a, b) => a + b)).to.equal(2000); // two polls each, in all
    expect(h.finished).to.equal(true);
  });

  it("gives each child a waker of its own, distinct from the waiting task's and from each other's", () => {
    const rt = virtual();
    const a = new Gate(1);
    const b = new Gate(2);
    let taskWaker: Waker | undefined;
    rt.spawn(function* () {
      yield* new (class extends Op<void> {
        poll(cx: Context) {
          taskWaker = cx.waker;
          return Poll.ready(undefined);
        }
      })();
      yield* all([a, b]);
    });
    rt.step();
    const wa = a.waker as Waker;
    const wb = b.waker as Waker;
    expect(wa).not.to.equal(taskWaker);
    expect(wa.willWake(wb)).to.equal(false);
    expect(wa.willWake(wa.clone())).to.equal(true);
  });

  it("absorbs repeated wakes of one child until it is polled, and ignores wakes after it finished", () => {
    const rt = virtual();
    const a = new Gate(1);
    const b = new Gate(2);
    rt.spawn(() => all([a, b]));
    rt.step();
    const w = a.waker as Waker;
    w.wake();
    w.wake();
    w.wakeByRef();
    expect(rt.metrics.ready).to.equal(1);
    rt.step();
    expect(a.polls).to.equal(2); // woken three times, polled once
    a.open = true;
    w.wake();
    rt.step();
    expect(a.polls).to.equal(3);
    w.wake(); // a finished: nothing to do
    expect(rt.metrics.ready).to.equal(0);
    b.release();
    rt.runSync();
    expect(a.polls).to.equal(3);
  });

  it("a child that wakes itself during its poll waits for the next poll: other tasks run in between", () => {
    const rt = virtual();
    const log: string[] = [];
    rt.spawn(function* () {
      yield* race(yieldNow(), new Gate(0));
      log.push("race done");
    });
    rt.spawn(function* () {
      log.push("other task");
    });
    rt.runSync();
    expect(log).to.deep.equal(["other task", "race done"]);
  });

  it("describes itself without visiting every child (traces and step() describe a parked task at each poll)", () => {
    let described = 0;
    class Named extends Gate {
      describe(): string {
        described++;
        return `gate ${this.n}`;
      }
    }
    const rt = virtual();
    const gates = Array.from({ length: 10_000 }, (_, i) => new Named(i));
    rt.spawn(() => all(gates));
    const e = rt.step();
    expect(e?.detail).to.equal("waits on all(10000 of 10000 pending) (gate 0, gate 1, gate 2, and 9997 more)");
    expect(described).to.equal(3);
  });

  it("wakes every waker that polled it, one registration per waker (a re-poll with the same waker replaces it)", () => {
    const woken: string[] = [];
    const counting = (name: string): Waker => {
      const w: Waker = {
        wake: () => void woken.push(name),
        wakeByRef: () => void woken.push(name),
        clone: () => w,
        willWake: (other) => other === w,
      };
      return w;
    };
    const g = new Gate(1);
    const op = all([g]); // futures only: it can be polled by hand, outside any runtime
    const first = counting("first");
    expect(op.poll({ waker: first }).ready).to.equal(false);
    expect(op.poll({ waker: first }).ready).to.equal(false);
    const second = counting("second");
    expect(op.poll({ waker: second }).ready).to.equal(false);
    g.release();
    expect(woken).to.deep.equal(["first", "second"]);
    expect(op.poll({ waker: second })).to.deep.equal({ ready: true, value: [1] });
  });
});

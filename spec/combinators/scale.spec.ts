// Scale: all() over 100,000 children finishes, with work proportional to the children (no
// timing assertion here; the benchmark measures speed).

import { expect } from "chai";
import { JoinSet, Op, Poll, all } from "../../lib/index";
import type { Context, Waker } from "../../lib/index";
import { virtual } from "./helpers";

function* trivial(i: number) {
  return i;
}

/** Ready at its second poll, after waking itself from outside the poll (a later wake). */
class Later extends Op<number> {
  polls = 0;
  constructor(
    readonly n: number,
    readonly wakers: Waker[],
  ) {
    super();
  }
  poll(cx: Context): Poll<number> {
    if (this.polls++ > 0) return Poll.ready(this.n);
    this.wakers.push(cx.waker);
    return Poll.pending;
  }
}

describe("combinators at scale", function () {
  this.timeout(60_000);
  const N = 100_000;
  const M = 20_000;

  it("all() over 100,000 trivial task children finishes with every value in order and no task left", () => {
    const rt = virtual();
    let values: number[] = [];
    rt.spawn(function* () {
      values = yield* all(Array.from({ length: N }, (_, i) => trivial(i)));
      expect(rt.metrics.live).to.equal(1);
    });
    rt.runSync();
    expect(values.length).to.equal(N);
    expect(values[0]).to.equal(0);
    expect(values[N - 1]).to.equal(N - 1);
    expect(values.every((v, i) => v === i)).to.equal(true);
    expect(rt.metrics.spawned).to.equal(N + 1);
    expect(rt.metrics.live).to.equal(0);
  });

  it("all() over 100,000 inline futures woken one by one polls each exactly twice", () => {
    const rt = virtual();
    const wakers: Waker[] = [];
    const futures = Array.from({ length: N }, (_, i) => new Later(i, wakers));
    let sum = 0;
    rt.spawn(function* () {
      const values = yield* all(futures);
      sum = values.reduce((a, b) => a + b, 0);
    });
    rt.step();
    for (const w of wakers) w.wake();
    rt.runSync();
    expect(sum).to.equal((N * (N - 1)) / 2);
    expect(futures.every((f) => f.polls === 2)).to.equal(true);
    expect(rt.metrics.polls).to.be.below(10); // the waiting task was polled a handful of times, not once per child
  });

  it("a JoinSet of 20,000 tasks is drained with joinNext", () => {
    const rt = virtual();
    let count = 0;
    rt.spawn(function* () {
      const set = new JoinSet<number>();
      for (let i = 0; i < M; i++) set.spawn(trivial(i));
      while ((yield* set.joinNext()) !== undefined) count++;
    });
    rt.runSync();
    expect(count).to.equal(M);
  });
});

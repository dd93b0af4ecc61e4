// Driver rule 1: Ready resumes the generator in the same step; Pending parks the task, and it
// is not polled again until its waker is woken.

import { expect } from "chai";
import { Poll, pollFn } from "../../lib/index";
import type { Waker } from "../../lib/index";
import { Counted, Gate, stepAll, virtual } from "./helpers";

describe("rule 1: Ready resumes in the same step, Pending parks", () => {
  it("resumes the generator with Ready values in the same step, however many in a row", () => {
    const rt = virtual();
    const futs = [new Counted(1), new Counted(2), new Counted(3)];
    const h = rt.spawn(function* () {
      let sum = 0;
      for (const f of futs) sum += yield* f;
      return sum;
    });
    const e = rt.step();
    expect(e?.kind).to.equal("complete");
    expect(e?.detail).to.equal("3 polls");
    expect(h.finished).to.equal(true);
    expect(futs.map((f) => f.polls)).to.deep.equal([1, 1, 1]);
    expect(rt.step()).to.equal(undefined);
    expect(rt.metrics.completed).to.equal(1);
  });

  it("evaluates a raw `yield fut` to the Ready value, as `yield*` does", () => {
    const rt = virtual();
    const seen: unknown[] = [];
    rt.spawn(function* () {
      seen.push(yield new Counted("raw"));
      seen.push(yield* new Counted("typed"));
    });
    rt.runSync();
    expect(seen).to.deep.equal(["raw", "typed"]);
  });

  it("parks a task whose future is Pending and does not poll it again until it is woken", () => {
    const rt = virtual();
    const gate = new Gate("g");
    const h = rt.spawn(function* () {
      return yield* gate;
    });
    const first = rt.step();
    expect(first?.kind).to.equal("park");
    expect(first?.detail).to.equal("waits on gate g");
    expect(rt.metrics.parked).to.equal(1);
    expect(rt.step()).to.equal(undefined);
    expect(rt.step()).to.equal(undefined);
    expect(gate.polls).to.equal(1);
    gate.open();
    expect(rt.metrics.parked).to.equal(0);
    expect(rt.step()?.kind).to.equal("complete");
    expect(gate.polls).to.equal(2);
    expect(h.finished).to.equal(true);
  });

  it("keeps running in the same step after a Ready, until a Pending parks it", () => {
    const rt = virtual();
    const log: string[] = [];
    const gate = new Gate("late");
    rt.spawn(function* () {
      log.push("a");
      yield* new Counted(0);
      log.push("b");
      yield* gate;
      log.push("c");
    });
    const e = rt.step();
    expect(e?.kind).to.equal("park");
    expect(log).to.deep.equal(["a", "b"]);
    gate.open();
    stepAll(rt);
    expect(log).to.deep.equal(["a", "b", "c"]);
  });

  it("polls with a Context whose waker belongs to the polling task", () => {
    const rt = virtual();
    const wakers: Waker[] = [];
    const grab = () =>
      pollFn<void>((cx) => {
        wakers.push(cx.waker);
        return Poll.ready(undefined);
      });
    rt.spawn(function* () {
      yield* grab();
      yield* grab();
    });
    rt.spawn(function* () {
      yield* grab();
    });
    rt.runSync();
    const [a1, a2, b] = wakers as [Waker, Waker, Waker];
    expect(a1.willWake(a2)).to.equal(true);
    expect(a1.willWake(b)).to.equal(false);
    expect(a1.clone().willWake(a1)).to.equal(true);
  });
});

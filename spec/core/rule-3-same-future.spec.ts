// Driver rule 3: after a wake, the driver polls again the very future the generator is
// suspended on (it does not resume the generator, nor ask it for a new future).

import { expect } from "chai";
import { Gate, stepAll, virtual } from "./helpers";

describe("rule 3: after a wake the same future is polled again", () => {
  it("polls the same future object on every wake until it is ready", () => {
    const rt = virtual();
    const gate = new Gate("g");
    let resumes = 0;
    rt.spawn(function* () {
      yield gate;
      resumes++;
    });
    rt.step();
    for (let i = 0; i < 3; i++) {
      gate.waker?.wake(); // spurious: still closed
      rt.step();
    }
    expect(resumes).to.equal(0);
    gate.open();
    stepAll(rt);
    expect(gate.polls).to.equal(5);
    expect(new Set(gate.polledOn).size).to.equal(1);
    expect(gate.polledOn[0]).to.equal(gate);
    expect(resumes).to.equal(1);
  });

  it("resumes a generator only once per Ready, however many polls came before", () => {
    const rt = virtual();
    const a = new Gate("a");
    const b = new Gate("b");
    const got: string[] = [];
    rt.spawn(function* () {
      got.push(yield* a);
      got.push(yield* b);
    });
    rt.step();
    a.waker?.wake();
    rt.step();
    a.open();
    rt.step();
    expect(b.polls).to.equal(1);
    b.open();
    stepAll(rt);
    expect(got).to.deep.equal(["a", "b"]);
    expect([a.polls, b.polls]).to.deep.equal([3, 2]);
  });
});

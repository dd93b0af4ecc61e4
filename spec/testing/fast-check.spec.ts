// scheduleArbitrary(): schedules as fast-check values, shrinking toward FIFO and printing as a
// pasteable replay("w1:…"), combined with ordinary input generators in one property.

import { expect } from "chai";
import fc from "fast-check";
import { yieldNow, type Runtime } from "../../lib/index";
import { check, CounterexampleError, decodeSchedule, scheduleArbitrary, type Schedule } from "../../lib/testing/index";
import { thrown } from "./helpers";

/** n depositors; depositor i first does i steps of validation; buggy ones lose updates. */
function depositors(n: number, fixed: boolean) {
  return (rt: Runtime) => {
    let balance = 0;
    for (let i = 0; i < n; i++) {
      rt.spawn(function* () {
        for (let j = 0; j < i; j++) yield* yieldNow(); // validate
        if (fixed) {
          yield* yieldNow(); // audit first
          balance += 10;
        } else {
          const b = balance;
          yield* yieldNow(); // audit between the read and the write
          balance = b + 10;
        }
      }, { name: `depositor ${i}` });
    }
    return () => {
      if (balance !== 10 * n) throw new Error(`balance ${balance}, expected ${10 * n}`);
    };
  };
}

describe("scheduleArbitrary()", () => {
  it("generates valid schedules within its bounds", () => {
    fc.assert(
      fc.property(scheduleArbitrary({ maxDecisions: 5, maxChoice: 2 }), (s) => {
        expect(s.choices.length).to.be.at.most(5);
        expect(s.choices.every((c) => Number.isInteger(c) && c >= 0 && c <= 2)).to.equal(true);
        expect(Object.keys(s)).to.deep.equal(["choices"]); // plain data
      }),
      { numRuns: 100 },
    );
  });

  it("prints each value as the replay call of its token", () => {
    const [s] = fc.sample(scheduleArbitrary(), { numRuns: 1, seed: 3 });
    const printed = fc.stringify(s);
    expect(printed).to.match(/^replay\("w1:[0-9a-z._]*"\)$/);
    const choices = (s as Schedule).choices.slice();
    while (choices.length > 0 && choices[choices.length - 1] === 0) choices.pop();
    expect(decodeSchedule(JSON.parse(printed.slice("replay(".length, -1)) as string).choices).to.deep.equal(choices);
  });

  it("combined with an input generator, fails and shrinks to the fewest tasks and a minimal schedule", () => {
    const out = fc.check(
      fc.property(fc.integer({ min: 1, max: 5 }), scheduleArbitrary(), (n, schedule) => {
        check(depositors(n, false), { replay: schedule });
      }),
      { seed: 42, numRuns: 300 },
    );
    expect(out.failed).to.equal(true);
    const [n, schedule] = out.counterexample!;
    expect(n).to.equal(2);
    expect(schedule.choices).to.deep.equal([1]);
    expect(out.errorInstance).to.be.instanceOf(CounterexampleError);
    expect((out.errorInstance as Error).message).to.include("balance 10, expected 20").and.include('replay("w1:1")');
  });

  it("names the counterexample as a pasteable replay(...) in fc.assert's message", () => {
    const e = thrown(() =>
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5 }), scheduleArbitrary(), (n, schedule) => {
          check(depositors(n, false), { replay: schedule });
        }),
        { seed: 42, numRuns: 300 },
      ),
    );
    expect((e as Error).message).to.include('Counterexample: [2,replay("w1:1")]');
  });

  it("lets the fixed program pass the same property", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), scheduleArbitrary(), (n, schedule) => {
        check(depositors(n, true), { replay: schedule });
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("refuses bad bounds", () => {
    expect(thrown(() => scheduleArbitrary({ maxChoice: -1 }))).to.be.instanceOf(RangeError);
    expect((thrown(() => scheduleArbitrary({ maxDecisions: 1.5 })) as Error).message).to.include("1.5");
  });
});

// Schedules and replay tokens: the encoding, its inverse, and the errors a bad token gets.

import { expect } from "chai";
import fc from "fast-check";
import { decodeSchedule, encodeSchedule, type Schedule } from "../../lib/testing/index";
import { thrown } from "./helpers";

describe("replay tokens", () => {
  it("encode FIFO as the bare version prefix", () => {
    expect(encodeSchedule({ choices: [] })).to.equal("w1:");
    expect(encodeSchedule({ choices: [0, 0, 0] })).to.equal("w1:");
  });

  it("write one base-36 character per decision", () => {
    expect(encodeSchedule({ choices: [0, 1] })).to.equal("w1:01");
    expect(encodeSchedule({ choices: [2, 0, 10, 35] })).to.equal("w1:20az");
  });

  it("write a run of four or more zeros as _count_ in base 36", () => {
    expect(encodeSchedule({ choices: [0, 0, 0, 1] })).to.equal("w1:0001");
    expect(encodeSchedule({ choices: [0, 0, 0, 0, 0, 0, 2] })).to.equal("w1:_6_2");
    expect(encodeSchedule({ choices: [...new Array<number>(40).fill(0), 1] })).to.equal("w1:_14_1");
  });

  it("write a choice of 36 or more between dots", () => {
    expect(encodeSchedule({ choices: [36, 1] })).to.equal("w1:.10.1");
  });

  it("drop trailing zeros, since missing entries mean FIFO", () => {
    expect(encodeSchedule({ choices: [1, 0, 0] })).to.equal("w1:1");
  });

  it("decode to the same choices, trailing zeros dropped", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(0), fc.nat({ max: 3 }), fc.nat({ max: 2000 })), { maxLength: 80 }), (choices) => {
        let end = choices.length;
        while (end > 0 && choices[end - 1] === 0) end--;
        expect(decodeSchedule(encodeSchedule({ choices })).choices).to.deep.equal(choices.slice(0, end));
      }),
      { numRuns: 300 },
    );
  });

  it("decode surrounding whitespace away (a token pasted from a log)", () => {
    expect(decodeSchedule("  w1:01\n").choices).to.deep.equal([0, 1]);
  });

  it("refuse a string that is not a token", () => {
    const e = thrown(() => decodeSchedule("01"));
    expect(e).to.be.instanceOf(RangeError);
    expect((e as Error).message).to.include('"01"').and.include('"w1:"');
  });

  it("refuse a token of a format this version does not read, naming it", () => {
    const e = thrown(() => decodeSchedule("w2:01"));
    expect(e).to.be.instanceOf(RangeError);
    expect((e as Error).message).to.include("w2").and.include("w1:");
  });

  it("refuse an unexpected character, naming its position", () => {
    const e = thrown(() => decodeSchedule("w1:01Q"));
    expect(e).to.be.instanceOf(RangeError);
    expect((e as Error).message).to.include('"Q"').and.include("position 5");
  });

  it("refuse a zero run that is not closed", () => {
    expect(thrown(() => decodeSchedule("w1:_6"))).to.be.instanceOf(RangeError);
    expect(thrown(() => decodeSchedule("w1:..1"))).to.be.instanceOf(RangeError);
  });

  it("refuse a token that is not a string", () => {
    expect(thrown(() => decodeSchedule(42 as unknown as string))).to.be.instanceOf(TypeError);
  });

  it("refuse to encode choices that are not whole numbers ≥ 0", () => {
    expect(thrown(() => encodeSchedule({ choices: [0, -1] }))).to.be.instanceOf(RangeError);
    expect(thrown(() => encodeSchedule({ choices: [1.5] }))).to.be.instanceOf(RangeError);
    expect(thrown(() => encodeSchedule({ choices: "01" } as unknown as Schedule))).to.be.instanceOf(TypeError);
  });
});

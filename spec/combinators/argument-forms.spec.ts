// One argument convention, said by the errors: race and join take separate arguments, all and
// allSettled one iterable, select one object of named branches. The other form is rejected at
// run time (plain JavaScript) with an error naming the form to use, as the types reject it.

import { expect } from "chai";
import { all, allSettled, join, race, runSync, select, sleep } from "../../lib/index";

const a = function* () {
  yield* sleep(1);
  return 1;
};
const b = function* () {
  return "b";
};
const loose = (f: unknown) => f as (...args: unknown[]) => unknown;

describe("combinators: one argument form each, and an error that names it", () => {
  it("race([a, b]) says race takes separate arguments", () => {
    expect(() => loose(race)([a, b])).to.throw(TypeError, "race() takes the bodies as separate arguments: race(a, b), or race(...array)");
  });

  it("join([a, b]) says join takes separate arguments and points to all()", () => {
    expect(() => loose(join)([a, b])).to.throw(TypeError, "join() takes the bodies as separate arguments: join(a, b), or all(array)");
  });

  it("all(a, b) says all takes one array, instead of returning [undefined]", () => {
    expect(() => loose(all)(a, b)).to.throw(TypeError, "all() takes one array (or iterable) of bodies: all([a, b]), not all(a, b)");
  });

  it("allSettled(a, b) says allSettled takes one array", () => {
    expect(() => loose(allSettled)(a, b)).to.throw(TypeError, "allSettled() takes one array (or iterable) of bodies: allSettled([a, b])");
  });

  it("select([a, b]) and select(x, y) say select takes one object of named branches", () => {
    expect(() => loose(select)([a, b])).to.throw(TypeError, "select() takes one object of named branches");
    expect(() => loose(select)({ a }, { b })).to.throw(TypeError, "select() takes one object of named branches");
  });

  it("the right forms still work", () => {
    const out = runSync(function* () {
      const r = yield* race(a, b);
      const j = yield* join(a, b);
      const l = yield* all([a, b]);
      const s = yield* allSettled([a, b]);
      const x = yield* select({ a, b });
      return [r, j, l, s.map((o) => o.status), x.key];
    });
    expect(out).to.deep.equal(["b", [1, "b"], [1, "b"], ["fulfilled", "fulfilled"], "b"]);
  });

  it("the types reject the other form too (checked by tsc: each line below must be an error)", () => {
    const typed = () => {
      // @ts-expect-error race takes separate arguments
      race([a, b]);
      // @ts-expect-error join takes separate arguments
      join([a, b]);
      // @ts-expect-error all takes one array
      all(a, b);
      // @ts-expect-error allSettled takes one array
      allSettled(a, b);
      // @ts-expect-error all takes an array, not one body
      all(a);
    };
    expect(typed).to.be.a("function");
  });
});

// select's else branch (tokio's `select!` with patterns and `else`): a branch that ends with
// undefined — a recv on a closed channel — is disabled while an else waits, and the else runs
// once every branch is disabled.

import { expect } from "chai";
import { channel, ready, runSync, select, sleep, spawn } from "../../lib/index";

describe("select with an else branch", () => {
  it("runs else once every branch ended with undefined (both channels closed)", () => {
    const r = runSync(function* () {
      const [txA, rxA] = channel<number>();
      const [txB, rxB] = channel<string>();
      txA.close();
      spawn(function* () {
        yield* sleep(5);
        txB.close();
      });
      return yield* select({ a: rxA.recv(), b: rxB.recv() }, { else: ready("both closed") });
    });
    expect(r).to.deep.equal({ key: "else", value: "both closed" });
  });

  it("skips a closed branch and takes a value from another that arrives later", () => {
    const r = runSync(function* () {
      const [txA, rxA] = channel<number>();
      const [txB, rxB] = channel<string>();
      txA.close();
      spawn(function* () {
        yield* sleep(5);
        yield* txB.send("late");
      });
      return yield* select({ a: rxA.recv(), b: rxB.recv() }, { else: ready("both closed") });
    });
    expect(r).to.deep.equal({ key: "b", value: "late" });
  });

  it("without else, a closed channel's undefined wins as before", () => {
    const r = runSync(function* () {
      const [txA, rxA] = channel<number>();
      const [, rxB] = channel<string>();
      txA.close();
      return yield* select({ a: rxA.recv(), b: rxB.recv() });
    });
    expect(r).to.deep.equal({ key: "a", value: undefined });
  });

  it("runs an operation as the else branch and takes its value", () => {
    const r = runSync(function* () {
      const [txA, rxA] = channel<number>();
      txA.close();
      return yield* select(
        { a: rxA.recv() },
        {
          else: function* () {
            yield* sleep(3);
            return "fallback";
          },
        },
      );
    });
    expect(r).to.deep.equal({ key: "else", value: "fallback" });
  });

  it("refuses a second argument that is not { else: body }", () => {
    expect(() => select({ a: ready(1) }, {} as never)).to.throw(TypeError, /optionally \{ else: body \}/);
    expect(() => select({ a: ready(1) }, { else: 5 } as never)).to.throw(TypeError, /branch "else"/);
  });
});

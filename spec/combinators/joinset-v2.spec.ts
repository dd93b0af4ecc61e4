// JoinSet v2: an outcome is { id, value }, so "empty" (undefined) is told apart from a task that
// returned undefined; spawnAll starts many; detachAll lets the tasks run on without the set.

import { expect } from "chai";
import { JoinSet, channel, sleep } from "../../lib/index";
import { outcome, virtual } from "./helpers";

describe("JoinSet v2", () => {
  it("a task returning undefined is an outcome, not the end: the loop sees all three", () => {
    const r = outcome(function* () {
      const set = new JoinSet<string | undefined>();
      set.spawn(function* () {
        yield* sleep(1);
        return undefined;
      });
      set.spawn(function* () {
        yield* sleep(2);
        return "b";
      });
      set.spawn(function* () {
        yield* sleep(3);
        return undefined;
      });
      const seen: (string | undefined)[] = [];
      for (let o; (o = yield* set.joinNext()) !== undefined; ) seen.push(o.value);
      return seen;
    });
    expect(r.value).to.deep.equal([undefined, "b", undefined]);
  });

  it("tryJoinNext gives { id, value } of a finished task; undefined when none finished or empty", () => {
    const r = outcome(function* () {
      const set = new JoinSet<undefined>();
      const h = set.spawn(function* () {
        yield* sleep(1);
        return undefined;
      });
      const before = set.tryJoinNext();
      yield* sleep(2);
      const got = set.tryJoinNext();
      return [before, got, got?.id === h.id, set.tryJoinNext(), set.size];
    });
    expect(r.value).to.deep.equal([undefined, { id: (r.value as [unknown, { id: number }])[1].id, value: undefined }, true, undefined, 0]);
  });

  it("joinNext carries the id of the task, the one its handle has", () => {
    const r = outcome(function* () {
      const set = new JoinSet<number>();
      const handles = set.spawnAll([3, 1, 2].map((ms) => function* () {
        yield* sleep(ms);
        return ms;
      }));
      const got: [number, number][] = [];
      for (let o; (o = yield* set.joinNext()) !== undefined; ) got.push([handles.findIndex((h) => h.id === o?.id), o.value]);
      return got;
    });
    expect(r.value).to.deep.equal([
      [1, 1],
      [2, 2],
      [0, 3],
    ]);
  });

  it("detachAll lets the tasks run on without the set: a sender they close still ends the channel", () => {
    const rt = virtual();
    const [tx, rx] = channel<number>();
    const got: number[] = [];
    rt.spawn(function* () {
      const set = new JoinSet<void>();
      for (let i = 0; i < 3; i++) {
        const mine = tx.clone();
        set.spawn(function* () {
          try {
            yield* sleep(i + 1);
            mine.trySend(i);
          } finally {
            mine.close();
          }
        });
      }
      tx.close();
      set.detachAll();
      expect(set.size).to.equal(0);
    });
    rt.spawn(function* () {
      for (let m; (m = yield* rx.recv()) !== undefined; ) got.push(m);
    });
    rt.runSync();
    expect(got).to.deep.equal([0, 1, 2]);
  });
});

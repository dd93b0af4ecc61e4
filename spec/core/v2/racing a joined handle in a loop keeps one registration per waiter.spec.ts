// Issue 9, case 2. `race(handle, sleep(1))` in a loop, while another task also joins the handle:
// every iteration polls the handle and then drops it, and the drop must take that registration
// away. The handle's waiters stay at two (the joiner and the current race), so memory stays flat
// and each iteration costs the same.
//
// How it failed before Core v2: each iteration left one waker behind (the drop did not know
// whose registration to remove): 40k iterations held 40,001 wakers, +17 MB, and time grew
// quadratically. The heap spec below measured +7.7 MB between 2,000 and 20,000 iterations; the
// hand-made waiters were not removed by drop(cx) (their wakes were counted when the task ended).

import { expect } from "chai";
import { Poll, Runtime, noopContext, sleep } from "../../../lib/index";
import type { Context, Waker } from "../../../lib/index";
import { runFixture } from "./helpers";

describe("Core v2 · case 2: racing a joined handle in a loop keeps one registration per waiter", () => {
  it("forgets each of 100,000 waiters that polled the handle and then dropped it", () => {
    const rt = new Runtime({ clock: "virtual" });
    const t = rt.spawn(function* () {
      yield* sleep(5);
      return 1;
    }, { name: "T" });
    const joined: number[] = [];
    rt.spawn(function* () {
      joined.push(yield* t);
    }, { name: "J" });
    rt.step();
    rt.step(); // T parks on its sleep, J on the handle
    let strayWakes = 0;
    for (let i = 0; i < 100_000; i++) {
      const waker: Waker = {
        wake: () => void strayWakes++,
        wakeByRef: () => void strayWakes++,
        clone: () => waker,
        willWake: (other) => other === waker,
      };
      const cx: Context = { waker };
      expect(t.poll(cx).ready).to.equal(false);
      t.drop?.(cx); // what race() does with a loser: this waiter is gone
    }
    rt.runSync();
    expect(joined, "the joiner that stayed is woken").to.deep.equal([1]);
    expect(strayWakes, "dropped waiters are no longer registered").to.equal(0);
    expect(t.poll(noopContext)).to.deep.equal(Poll.ready(1));
  });

  it("keeps the heap flat over 100,000 iterations of race(handle, sleep(1)) while another task joins the handle", async function () {
    this.timeout(120_000);
    // A child process started with --expose-gc, so the heap can be measured after a full GC.
    const exit = await runFixture("race-a-joined-handle.ts", ["100000"], 100_000, ["--expose-gc"]);
    expect(exit.signal, `the fixture did not finish: ${exit.stderr}`).to.equal(null);
    expect(exit.code, exit.stderr).to.equal(0);
    const out = JSON.parse(exit.stdout.trim()) as { marks: Record<string, number>; joined: unknown };
    expect(out.joined, "the joiner received the task's value").to.equal("done");
    const growth = out.marks["100000"]! - out.marks["10000"]!;
    // A leaked waker per iteration costs ~400 bytes: 90,000 of them would add ~36 MB.
    expect(growth, `heap grew by ${(growth / 1e6).toFixed(1)} MB between 10,000 and 100,000 iterations`).to.be.below(4e6);
  });
});

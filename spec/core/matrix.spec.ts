// The race matrix (STYLE.md habit 8): the event a task waits for arrives before / during / after
// the poll, × the task is cancelled before / during / after that poll, × its handle is joined
// or not. Each cell asserts the outcome and that nothing is lost: the token the future guards
// ends in at most one place, no stale waker is left behind, and the task finishes exactly once.

import { expect } from "chai";
import { CancelledError } from "../../lib/index";
import type { TraceEvent } from "../../lib/index";
import { Gate, virtual } from "./helpers";

type When = "before" | "during" | "after";
const WHEN: When[] = ["before", "during", "after"];
const TERMINAL = new Set<TraceEvent["kind"]>(["complete", "fail", "cancel"]);

describe("matrix: wake × cancel × join", () => {
  for (const wake of WHEN) {
    for (const cancel of WHEN) {
      for (const joined of [true, false]) {
        it(`wake ${wake} the poll, cancel ${cancel} it, handle ${joined ? "joined" : "not joined"}`, () => {
          const rt = virtual({ trace: true });
          const gate = new Gate("token");
          const log: string[] = [];
          const h = rt.spawn(function* () {
            try {
              const v = yield* gate;
              log.push(`got ${v}`);
              return v;
            } finally {
              log.push("finally");
            }
          });
          let outcome: { value?: string; error?: unknown } | undefined;
          if (joined) {
            rt.spawn(function* () {
              try {
                outcome = { value: yield* h };
              } catch (e) {
                outcome = { error: e };
              }
            });
          }

          // Before the task's first poll.
          if (wake === "before") gate.open(); // nobody waits yet: the token is simply there
          if (cancel === "before") h.abort();
          // During it: the future's own poll sees the event arrive and/or its task aborted.
          if (wake === "during" || cancel === "during") {
            gate.duringPoll = (cx, g) => {
              let answer: "pending" | undefined;
              if (wake === "during") {
                g.held = true; // the event lands while the future registers its waker…
                cx.waker.wakeByRef(); // …so it wakes its own task and still answers Pending
                answer = "pending";
              }
              if (cancel === "during") h.abort();
              return answer;
            };
          }
          const first = rt.step();
          expect(first?.task).to.equal(h.id);
          // After it.
          if (wake === "after") gate.open();
          if (cancel === "after") h.abort();
          rt.runSync(); // a lost error would throw here; a lost wake-up would deadlock

          const completes = cancel !== "before" && wake === "before";
          const polled = cancel !== "before";
          const arrived = wake !== "during" || polled; // a "during" event needs a poll to happen in
          expect(h.finished, "finished").to.equal(true);
          expect(gate.polls, "polls of the future").to.equal(polled ? 1 : 0);
          expect(gate.drops, "drops of the future").to.equal(polled && !completes ? 1 : 0);
          expect(log).to.deep.equal(completes ? ["got token", "finally"] : polled ? ["finally"] : []);
          // Nothing lost: the token is in exactly one place, and no stale waker is held.
          expect(gate.taken, "token handed to the task").to.equal(completes);
          expect(gate.held, "token still in the future").to.equal(arrived && !completes);
          expect(gate.waker, "stale waker").to.equal(undefined);
          if (joined) {
            if (completes) expect(outcome).to.deep.equal({ value: "token" });
            else expect(outcome?.error).to.be.instanceOf(CancelledError);
          }
          const m = rt.metrics;
          expect(m.live).to.equal(0);
          expect(m.failed).to.equal(0);
          expect(m.cancelled).to.equal(completes ? 0 : 1);
          expect(m.spawned).to.equal(m.completed + m.failed + m.cancelled);
          const ends = rt.trace.filter((e) => e.task === h.id && TERMINAL.has(e.kind));
          expect(ends.map((e) => e.kind)).to.deep.equal([completes ? "complete" : "cancel"]);
        });
      }
    }
  }

  it("cancel after the poll, then wake: the cancellation wins and the woken token stays put", () => {
    const rt = virtual();
    const gate = new Gate("token");
    const h = rt.spawn(function* () {
      return yield* gate;
    });
    rt.step();
    h.abort();
    gate.open();
    rt.runSync();
    expect([gate.taken, gate.held, gate.drops, gate.polls]).to.deep.equal([false, true, 1, 1]);
    expect(rt.metrics.cancelled).to.equal(1);
  });
});

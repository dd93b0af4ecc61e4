// Driver rule 8: cancellation is sticky. An aborted task unwinds every frame; a finally block may
// wait only inside shield() (any other yield of a cancelled task ends it), and when the shield
// completes the frames around it keep unwinding: code after an aborted `yield*` never runs. A
// finally that throws replaces the cancellation with its error.

import { expect } from "chai";
import { CancelledError, Op, Poll, call, pending, pollFn, shield, sleep, spawn } from "../../lib/index";
import type { Context, JoinHandle, Operation } from "../../lib/index";
import { Gate, stepAll, virtual } from "./helpers";

/** Joins `h` from a new task; the outcome lands in the returned box once the runtime ran. */
function joinFrom<T>(rt: ReturnType<typeof virtual>, h: JoinHandle<T>): { value?: T; error?: unknown } {
  const box: { value?: T; error?: unknown } = {};
  rt.spawn(function* () {
    try {
      box.value = yield* h;
    } catch (e) {
      box.error = e;
    }
  });
  return box;
}

describe("rule 8: cancellation is sticky", () => {
  describe("through nested yield* (tutorial 07, part 1)", () => {
    it("runs the inner finally to the end, then the outer finally, and never the code after the yield*", () => {
      const rt = virtual();
      const log: string[] = [];
      const A = new Gate("A");
      function* inner(): Operation<void> {
        try {
          yield* A;
        } finally {
          yield* shield(sleep(5)); // asynchronous cleanup; a cancelled task cannot wait unless shielded (rule 8)
          log.push("inner cleaned");
        }
      }
      function* outer(): Operation<void> {
        try {
          yield* inner();
          log.push("after");
        } finally {
          log.push("outer finally");
        }
      }
      const h = rt.spawn(outer);
      const joined = joinFrom(rt, h);
      rt.step(); // parks at A
      h.abort();
      rt.runSync();
      expect(log).to.deep.equal(["inner cleaned", "outer finally"]);
      expect(rt.now()).to.equal(5);
      expect(joined.error).to.be.instanceOf(CancelledError);
      expect(rt.metrics.cancelled).to.equal(1);
      expect(A.drops).to.equal(1);
    });

    it("keeps unwinding through three levels whose finally blocks all yield", () => {
      const rt = virtual();
      const log: string[] = [];
      function* level(n: number): Operation<void> {
        try {
          if (n === 0) yield* pending();
          else yield* level(n - 1);
          log.push(`after ${n}`);
        } finally {
          yield* shield(sleep(1)); // a cancelled task cannot wait unless shielded (rule 8)
          log.push(`finally ${n}`);
        }
      }
      const h = rt.spawn(level(2));
      rt.spawn(function* () {
        yield* sleep(10);
        h.abort();
      });
      rt.runSync();
      expect(log).to.deep.equal(["finally 0", "finally 1", "finally 2"]);
      expect(rt.now()).to.equal(13);
    });
  });

  describe("through call() frames", () => {
    it("unwinds call() frames like yield*: inner finally, outer finally, nothing after", () => {
      const rt = virtual();
      const log: string[] = [];
      const A = new Gate("A");
      function* inner(): Operation<void> {
        try {
          yield* A;
        } finally {
          yield* shield(sleep(5)); // a cancelled task cannot wait unless shielded (rule 8)
          log.push("inner cleaned");
        }
      }
      function* outer(): Operation<void> {
        try {
          yield* call(inner);
          log.push("after");
        } finally {
          log.push("outer finally");
        }
      }
      const h = rt.spawn(outer);
      const joined = joinFrom(rt, h);
      rt.step();
      h.abort();
      rt.runSync();
      expect(log).to.deep.equal(["inner cleaned", "outer finally"]);
      expect(joined.error).to.be.instanceOf(CancelledError);
    });

    it("unwinds a mix of call() frames and native yield* in order", () => {
      const rt = virtual();
      const log: string[] = [];
      function* leaf(): Operation<void> {
        try {
          yield* pending();
        } finally {
          yield* shield(sleep(1)); // a cancelled task cannot wait unless shielded (rule 8)
          log.push("leaf");
        }
      }
      function* viaYield(): Operation<void> {
        try {
          yield* call(leaf);
          log.push("after call");
        } finally {
          log.push("yield* frame");
        }
      }
      function* top(): Operation<void> {
        try {
          yield* call(viaYield);
          log.push("after outer call");
        } finally {
          yield* shield(sleep(1)); // a cancelled task cannot wait unless shielded (rule 8)
          log.push("top");
        }
      }
      const h = rt.spawn(top);
      rt.step();
      h.abort();
      rt.runSync();
      expect(log).to.deep.equal(["leaf", "yield* frame", "top"]);
      expect(h.finished).to.equal(true);
    });
  });

  describe("a finally that throws", () => {
    it("replaces the cancellation with its error: the task fails and joiners get that error", () => {
      const rt = virtual();
      const cleanup = new Error("cleanup failed");
      const h = rt.spawn(function* () {
        try {
          yield* pending();
        } finally {
          yield* shield(sleep(1)); // a cancelled task cannot wait unless shielded (rule 8)
          throw cleanup; // eslint-disable-line no-unsafe-finally
        }
      });
      const joined = joinFrom(rt, h);
      rt.step();
      h.abort();
      rt.runSync();
      expect(joined.error).to.equal(cleanup);
      expect(rt.metrics.failed).to.equal(1);
      expect(rt.metrics.cancelled).to.equal(0);
    });

    it("makes run() reject with that error when nobody joins the task", async () => {
      const rt = virtual();
      const cleanup = new Error("cleanup failed, unjoined");
      const h = rt.spawn(function* () {
        try {
          yield* pending();
        } finally {
          throw cleanup; // eslint-disable-line no-unsafe-finally
        }
      });
      rt.spawn(function* () {
        yield* sleep(1);
        h.abort();
      });
      let err: unknown;
      try {
        await rt.run();
      } catch (e) {
        err = e;
      }
      expect(err).to.equal(cleanup);
    });
  });

  describe("before, during and after the task runs", () => {
    it("never runs the body of a task aborted before it started", () => {
      const rt = virtual();
      let ran = false;
      const h = rt.spawn(function* () {
        ran = true;
        yield* sleep(1);
      });
      h.abort();
      const joined = joinFrom(rt, h);
      rt.runSync();
      expect(ran).to.equal(false);
      expect(h.finished).to.equal(true);
      expect(joined.error).to.be.instanceOf(CancelledError);
      expect(rt.metrics.cancelled).to.equal(1);
      expect(rt.metrics.polls).to.be.at.most(2); // only the joiner's polls
    });

    it("is idempotent: aborting twice delivers one CancelledError and runs finally once", () => {
      const rt = virtual();
      let caught = 0;
      let finallies = 0;
      const h = rt.spawn(function* () {
        try {
          yield* pending();
        } catch (e) {
          if (e instanceof CancelledError) caught++;
          throw e;
        } finally {
          finallies++;
          yield* shield(sleep(3)); // a cancelled task cannot wait unless shielded (rule 8)
        }
      });
      rt.step();
      h.abort();
      h.abort();
      rt.step();
      h.abort(); // during cleanup
      rt.runSync();
      expect([caught, finallies]).to.deep.equal([1, 1]);
      expect(rt.now()).to.equal(3);
      expect(rt.metrics.cancelled).to.equal(1);
    });

    it("does nothing when the task already finished: its value stands", () => {
      const rt = virtual();
      const h = rt.spawn(function* () {
        return 7;
      });
      rt.runSync();
      h.abort();
      const joined = joinFrom(rt, h);
      rt.runSync();
      expect(joined.value).to.equal(7);
      expect(rt.metrics.cancelled).to.equal(0);
      expect(rt.metrics.completed).to.equal(2);
    });

    it("delivers an abort the task gives itself at its next yield", () => {
      const rt = virtual();
      const log: string[] = [];
      let self: JoinHandle<void> | undefined;
      self = rt.spawn(function* () {
        try {
          (self as JoinHandle<void>).abort();
          log.push("still running until the next yield");
          yield* sleep(1);
          log.push("never");
        } catch (e) {
          log.push((e as Error).name);
          throw e;
        }
      });
      rt.runSync();
      expect(log).to.deep.equal(["still running until the next yield", "CancelledError"]);
      expect(rt.now()).to.equal(0);
    });

    // An abort of a RUNNING task must reschedule it like a wake, or a Pending poll strands it.
    it("delivers an abort that arrives during the task's own poll, even if that poll returns Pending", () => {
      const rt = virtual();
      let self: JoinHandle<void> | undefined;
      self = rt.spawn(function* () {
        yield* pollFn<void>((cx) => {
          void cx.waker; // a wake is "arranged"... with something that will never fire
          (self as JoinHandle<void>).abort();
          return Poll.pending;
        });
      });
      rt.runSync();
      expect(self.finished).to.equal(true);
      expect(rt.metrics.cancelled).to.equal(1);
    });

    it("throws a CancelledError at the suspension point, where a catch can see it", () => {
      const rt = virtual();
      let seen: unknown;
      const h = rt.spawn(function* () {
        try {
          yield* pending();
        } catch (e) {
          seen = e;
          throw e;
        }
      });
      rt.step();
      h.abort();
      rt.runSync();
      expect(seen).to.be.instanceOf(CancelledError);
      expect((seen as Error).name).to.equal("CancelledError");
      expect((seen as Error).message).to.include(`task #${h.id}`);
    });
  });

  describe("a task that swallows its CancelledError", () => {
    it("still ends cancelled at its next yield, and its joiners get a CancelledError", () => {
      const rt = virtual();
      const log: string[] = [];
      const h = rt.spawn(function* () {
        try {
          yield* pending();
        } catch {
          log.push("swallowed");
        }
        yield* sleep(2); // the next yield after the swallow ends the task (rule 8)
        log.push("went on");
        return "a value that must not be delivered";
      });
      const a = joinFrom(rt, h);
      const b = joinFrom(rt, h);
      rt.step();
      h.abort();
      rt.runSync();
      expect(log).to.deep.equal(["swallowed"]);
      expect(a.error).to.be.instanceOf(CancelledError);
      expect(b.error).to.equal(a.error);
      expect(a.value).to.equal(undefined);
      expect(rt.metrics.cancelled).to.equal(1);
      expect(rt.metrics.completed).to.equal(2);
    });
  });

  describe("futures being cancelled", () => {
    it("calls drop() on the future the task is suspended on, so it can leave its queue", () => {
      const rt = virtual();
      const gate = new Gate("g");
      const h = rt.spawn(function* () {
        yield* gate;
      });
      rt.step();
      expect(gate.waker).to.not.equal(undefined);
      h.abort();
      rt.runSync();
      expect(gate.drops).to.equal(1);
      expect(gate.waker).to.equal(undefined);
      expect(gate.polls).to.equal(1); // not polled again after the abort
    });

    it("keeps polling a future whose drop() asks to drain; a Ready it settles with was decided before the cancellation: delivered, then CancelledError at the next yield", () => {
      const rt = virtual();
      const log: string[] = [];
      class Draining extends Op<string> {
        polls = 0;
        dropped = false;
        poll(cx: Context): Poll<string> {
          this.polls++;
          if (this.dropped && this.polls >= 4) {
            log.push("drained");
            return Poll.ready("decided");
          }
          if (this.dropped) cx.waker.wake();
          return Poll.pending;
        }
        drop(): boolean {
          this.dropped = true;
          log.push("drop");
          return true;
        }
      }
      const fut = new Draining();
      let seen: unknown;
      const h = rt.spawn(function* () {
        try {
          log.push(`got ${yield* fut}`);
          yield* sleep(1); // the next yield: the cancellation arrives here
          log.push("never");
        } catch (e) {
          seen = e;
          log.push("cancelled at the next yield");
          throw e;
        }
      });
      rt.step();
      h.abort();
      rt.runSync();
      expect(log).to.deep.equal(["drop", "drained", "got decided", "cancelled at the next yield"]);
      expect(fut.polls).to.equal(4);
      expect(seen).to.be.instanceOf(CancelledError);
    });

    it("throws CancelledError at the yield when the drained future settles by throwing CancelledError (nothing was decided)", () => {
      const rt = virtual();
      let polls = 0;
      const fut = pollFn<string>((cx) => {
        polls++;
        if (polls === 1) return Poll.pending;
        if (polls < 3) {
          cx.waker.wake();
          return Poll.pending;
        }
        throw new CancelledError("nothing decided");
      });
      (fut as unknown as { drop(): boolean }).drop = () => true;
      let seen: unknown;
      const h = rt.spawn(function* () {
        try {
          yield* fut;
        } catch (e) {
          seen = e;
          throw e;
        }
      });
      rt.step();
      h.abort();
      rt.runSync();
      expect(polls).to.equal(3);
      expect(seen).to.be.instanceOf(CancelledError);
      expect((seen as Error).message).to.match(/task #1 was cancelled/); // the task's own error, not the future's
    });

    it("throws a draining future's own error (not a CancelledError) into the task instead", () => {
      const rt = virtual();
      const boom = new Error("child cleanup failed");
      class DrainThenFail extends Op<void> {
        poll(): Poll<void> {
          if (this.dropped) throw boom;
          return Poll.pending;
        }
        dropped = false;
        drop(): boolean {
          this.dropped = true;
          return true;
        }
      }
      const h = rt.spawn(function* () {
        yield* new DrainThenFail();
      });
      const joined = joinFrom(rt, h);
      rt.step();
      h.abort();
      rt.runSync();
      expect(joined.error).to.equal(boom);
      expect(rt.metrics.failed).to.equal(1);
    });

    it("lets a drop() that throws replace the cancellation with its error", () => {
      const rt = virtual();
      const boom = new Error("drop failed");
      class BadDrop extends Op<void> {
        poll(cx: Context): Poll<void> {
          void cx.waker;
          return Poll.pending;
        }
        drop(): void {
          throw boom;
        }
      }
      let seen: unknown;
      const h = rt.spawn(function* () {
        try {
          yield* new BadDrop();
        } catch (e) {
          seen = e;
          throw e;
        }
      });
      const joined = joinFrom(rt, h);
      rt.step();
      h.abort();
      rt.runSync();
      expect(seen).to.equal(boom);
      expect(joined.error).to.equal(boom);
    });

    it("does not cancel a task that the aborted task was joining: tasks are detached", () => {
      const rt = virtual();
      const log: string[] = [];
      const parent = rt.spawn(function* () {
        const child = spawn(function* () {
          yield* sleep(10);
          log.push("child done");
          return 1;
        });
        yield* child;
        log.push("parent resumed");
      });
      rt.spawn(function* () {
        yield* sleep(5);
        parent.abort();
      });
      rt.runSync();
      expect(log).to.deep.equal(["child done"]);
      expect(rt.metrics.cancelled).to.equal(1);
      expect(rt.metrics.completed).to.equal(2);
    });
  });

  it("finishes every finally block of every task when many tasks are aborted at once", () => {
    const rt = virtual();
    const done: number[] = [];
    const hs: JoinHandle<void>[] = [];
    for (let i = 0; i < 20; i++) {
      hs.push(
        rt.spawn(function* () {
          try {
            yield* pending();
          } finally {
            yield* shield(sleep(i % 3)); // a cancelled task cannot wait unless shielded (rule 8)
            done.push(i);
          }
        }),
      );
    }
    stepAll(rt);
    for (const h of hs) h.abort();
    rt.runSync();
    expect(done.slice().sort((a, b) => a - b)).to.deep.equal(hs.map((_, i) => i));
    expect(rt.metrics.cancelled).to.equal(20);
    expect(rt.metrics.live).to.equal(0);
  });
});

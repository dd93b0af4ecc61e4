// abortSignalFuture (a signal in: throws its reason) and toAbortSignal (a signal out: aborts
// when the task finishes, however it finishes), without claiming the task's error.

import { expect } from "chai";
import { CancelledError, Runtime, fromPromise, pending, race, run, runSync, sleep, spawn } from "../../lib/index";
import { abortSignalFuture, toAbortSignal } from "../../lib/node/index";
import { rejection, thrown, words } from "./helpers";

describe("wakeful/node abort signals", () => {
  describe("abortSignalFuture", () => {
    it("throws the signal's reason at the yield once it aborts", async () => {
      const ac = new AbortController();
      const error = await rejection(
        run(function* () {
          setTimeout(() => ac.abort(new Error("stop now")), 5);
          yield* abortSignalFuture(ac.signal);
        }),
      );
      expect((error as Error).message).to.equal("stop now");
    });

    it("throws at once for a signal already aborted, with the default AbortError", () => {
      const error = thrown(() => runSync(() => abortSignalFuture(AbortSignal.abort())));
      expect((error as Error).name).to.equal("AbortError");
    });

    it("ends a race when the signal aborts, cancelling the work", async () => {
      const ac = new AbortController();
      const log: string[] = [];
      const error = await rejection(
        run(function* () {
          setTimeout(() => ac.abort(new Error("user pressed stop")), 5);
          return yield* race(function* () {
            try {
              yield* sleep(10_000);
            } finally {
              log.push("work cancelled");
            }
          }, abortSignalFuture(ac.signal));
        }),
      );
      expect((error as Error).message).to.equal("user pressed stop");
      expect(log).to.deep.equal(["work cancelled"]);
    });

    it("removes its listener when the waiting task is cancelled, and describes itself", async () => {
      const ac = new AbortController();
      let added = 0;
      let removed = 0;
      const add = ac.signal.addEventListener.bind(ac.signal);
      const remove = ac.signal.removeEventListener.bind(ac.signal);
      ac.signal.addEventListener = ((...a: Parameters<typeof add>) => (added++, add(...a))) as typeof add;
      ac.signal.removeEventListener = ((...a: Parameters<typeof remove>) => (removed++, remove(...a))) as typeof remove;
      const op = abortSignalFuture(ac.signal);
      const said = words(op);
      await run(() => race(op, sleep(5)));
      expect({ added, removed, said }).to.deep.equal({ added: 1, removed: 1, said: "abortSignalFuture (waiting for the signal to abort)" });
      ac.abort(new RangeError("late"));
      expect(words(op)).to.equal("abortSignalFuture (aborted: RangeError: late)");
    });

    it("refuses something that is not an AbortSignal", () => {
      expect((thrown(() => abortSignalFuture({ aborted: false } as AbortSignal)) as Error).message).to.include("needs an AbortSignal");
    });
  });

  describe("toAbortSignal", () => {
    it("aborts when the task completes, not before", () => {
      const seen: string[] = [];
      runSync(function* () {
        const h = spawn(function* () {
          yield* sleep(10);
          return 1;
        });
        const signal = toAbortSignal(h);
        signal.addEventListener("abort", () => seen.push(`aborted: ${(signal.reason as Error).message}`));
        yield* sleep(5);
        seen.push(`at 5: ${signal.aborted}`);
        yield* h;
        seen.push(`after join: ${signal.aborted}`);
      });
      expect(seen).to.deep.equal(["at 5: false", "aborted: task #2 completed: work tied to its AbortSignal is cancelled", "after join: true"]);
    });

    it("aborts with the task's own CancelledError when the task is cancelled", () => {
      const out = runSync(function* () {
        const h = spawn(() => pending(), { name: "idle" });
        const signal = toAbortSignal(h);
        yield* sleep(1);
        h.abort();
        try {
          yield* h;
        } catch (error) {
          return { same: error === signal.reason, isCancelled: signal.reason instanceof CancelledError };
        }
        return undefined;
      });
      expect(out).to.deep.equal({ same: true, isCancelled: true });
    });

    it("with no argument, follows the running task: a fetch-like promise is aborted when its task is cancelled", async () => {
      const log: string[] = [];
      const fakeFetch = (signal: AbortSignal) =>
        new Promise<string>((resolve, reject) => {
          const t = setTimeout(() => resolve("body"), 10_000);
          signal.addEventListener("abort", () => {
            clearTimeout(t);
            log.push(`fetch aborted: ${(signal.reason as Error).name}`);
            reject(signal.reason);
          });
        });
      await run(function* () {
        const h = spawn(function* () {
          return yield* fromPromise(fakeFetch(toAbortSignal()));
        });
        yield* sleep(5);
        h.abort();
        try {
          yield* h;
        } catch (error) {
          log.push(`task: ${(error as Error).name}`);
        }
      });
      expect(log).to.deep.equal(["fetch aborted: CancelledError", "task: CancelledError"]);
    });

    it("watching a task does not claim its error: run() still rejects with it", async () => {
      const rt = new Runtime({ clock: "virtual" });
      const h = rt.spawn(function* () {
        yield* sleep(1);
        throw new Error("unjoined failure");
      });
      const signal = toAbortSignal(h);
      const error = await rejection(rt.run());
      expect((error as Error).message).to.equal("unjoined failure");
      expect((signal.reason as Error).message).to.equal("task #1 failed (Error: unjoined failure): work tied to its AbortSignal is cancelled");
    });

    it("gives one signal per task, already aborted for a finished task", () => {
      const rt = new Runtime({ clock: "virtual" });
      const h = rt.spawn(function* () {
        return 1;
      });
      const a = toAbortSignal(h);
      expect(toAbortSignal(h)).to.equal(a);
      rt.runSync();
      expect(a.aborted).to.equal(true);
      const rt2 = new Runtime({ clock: "virtual" });
      const done = rt2.spawn(function* () {
        return 2;
      });
      rt2.runSync();
      expect(toAbortSignal(done).aborted).to.equal(true);
    });

    it("refuses a value that is not a JoinHandle, and no argument outside a task", () => {
      expect((thrown(() => toAbortSignal({} as never)) as Error).message).to.include("needs a JoinHandle");
      expect((thrown(() => toAbortSignal()) as Error).message).to.include("inside a task");
    });
  });
});

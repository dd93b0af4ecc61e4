// tutorial 01 · eager Promises, lazy futures: how a Promise becomes a future (fromPromise).
//
// A Promise is eager: the function given to `new Promise` runs at once, and its work goes on
// whether anyone waits or not. A future is lazy: it does nothing until it is polled. To wait
// for a Promise inside a task, wrap it in a future whose poll asks "settled yet?": the first
// poll subscribes to the Promise (`then`) and keeps the waker; when the Promise settles, the
// callback stores the outcome and wakes; the next poll is Ready with the value, or throws the
// rejection at the task's `yield`. That is wakeful's `fromPromise`, written out by hand.
//
// Part 1 shows the two kinds of laziness side by side. Part 2 polls a PromiseFuture by hand,
// letting the microtask queue run between polls. Part 3 delays the Promise itself until the
// first poll (a function that makes the Promise), the one way to make Promise work lazy.
// Part 4 does the same on wakeful with `fromPromise`.
//
// Notice: wrapping does not make a Promise cancellable. Dropping the future stops the waiting,
// not the work; stopping the work takes an AbortSignal (wakeful/node's toAbortSignal).

import { Poll, fromPromise, run } from "../../lib/index";
import type { Context, Future, Waker } from "../../lib/index";

const log = (line: string) => console.log(line);

/** A Waker that only prints, as in part 1 of the chapter: we are the executor. */
function printingWaker(name: string): Waker {
  const waker: Waker = {
    wake: () => log(`    ${name}.wake() called`),
    wakeByRef: () => waker.wake(),
    clone: () => waker,
    willWake: (other) => other === waker,
  };
  return waker;
}

/** The future of a Promise's outcome: fromPromise, by hand. */
class PromiseFuture<T> implements Future<T> {
  private state: "waiting" | "fulfilled" | "rejected" = "waiting";
  private outcome: unknown = undefined;
  private subscribed = false;
  private waker: Waker | undefined = undefined;

  /** `source` is the Promise, or a function that makes it at the first poll (lazy). */
  constructor(private readonly source: PromiseLike<T> | (() => PromiseLike<T>)) {}

  poll(cx: Context): Poll<T> {
    if (this.state === "fulfilled") return Poll.ready(this.outcome as T);
    if (this.state === "rejected") throw this.outcome; // thrown at the task's yield
    this.waker = cx.waker; // Pending means a wake is arranged: the callbacks below will use it
    if (!this.subscribed) {
      this.subscribed = true;
      const promise = typeof this.source === "function" ? this.source() : this.source;
      promise.then(
        (value) => this.settle("fulfilled", value),
        (error) => this.settle("rejected", error),
      );
    }
    return Poll.pending;
  }

  private settle(state: "fulfilled" | "rejected", outcome: unknown): void {
    this.state = state;
    this.outcome = outcome;
    this.waker?.wake();
  }
}

/** Work that says when it starts. */
function work(label: string): Promise<string> {
  return new Promise((resolve) => {
    log(`    ${label}: the work starts`);
    queueMicrotask(() => resolve(`${label} result`));
  });
}

/** Let every queued microtask run (a Promise's callbacks are microtasks). */
const microtasks = () => new Promise<void>((resolve) => setImmediate(resolve));

async function main(): Promise<void> {
  log("1. A Promise starts when it is made; a future when it is first polled:");
  log("  make a Promise:");
  const eager = work("promise");
  log("  make a future of a function that makes the Promise:");
  const lazy = new PromiseFuture(() => work("lazy future"));
  log("  (nothing has polled the future yet)");
  await eager;

  log("\n2. Polling a PromiseFuture by hand:");
  const f = new PromiseFuture(work("fetch"));
  const cx: Context = { waker: printingWaker("waker") };
  log(`  poll → ${f.poll(cx).ready ? "Ready" : "Pending"}  (subscribed with then(); the waker is kept)`);
  await microtasks();
  const p = f.poll(cx);
  log(`  poll → ${p.ready ? `Ready(${JSON.stringify(p.value)})` : "Pending"}`);

  log("\n3. The lazy one starts its work at its first poll:");
  log(`  poll → ${lazy.poll(cx).ready ? "Ready" : "Pending"}`);
  await microtasks();
  const q = lazy.poll(cx);
  log(`  poll → ${q.ready ? `Ready(${JSON.stringify(q.value)})` : "Pending"}`);

  log("\n4. On wakeful: yield* fromPromise(p) in a task; a rejection is thrown at the yield:");
  const out = await run(function* () {
    const v = yield* fromPromise(work("task's fetch"));
    try {
      yield* fromPromise(Promise.reject(new Error("connection refused")));
      return `${v}, then no error?`;
    } catch (error) {
      return `${v}, then caught "${(error as Error).message}"`;
    }
  });
  log(`  ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

// promises · living with Promises, both directions: fromPromise, await a task, AbortSignal, async iterables.
//
// wakeful tasks and async code meet at four edges, one part each:
//   1. Promise → task: `yield* fromPromise(p)` waits for a Promise inside a task; its value comes
//      back at the yield, its rejection is thrown there, where try/catch sees it.
//   2. task → async code: a JoinHandle is a PromiseLike, so async code writes `await handle`
//      (and `await run(main)` for a whole program).
//   3. cancellation → Promise work: `toAbortSignal()` (wakeful/node) gives a Promise API a
//      signal that aborts when the task finishes, so work a cancelled task started stops too.
//   4. streams: `asyncIterable(rx)` reads a channel with `for await`, and
//      `fromAsyncIterable(it)` reads any async iterable from inside a task.
//
// Notice in part 1: a Promise is eager. Its work starts when it is created, not when a task
// yields it, so "fetch started" prints before the task ever waits; a wakeful future does
// nothing until it is polled. The output prints no times: these parts run on the real clock.

import { Runtime, channel, fromPromise, run, sleep, timeout, type Sender } from "../lib/index";
import { asyncIterable, fromAsyncIterable, toAbortSignal } from "../lib/node/index";

/** A Promise-based API of the kind a task calls: resolves after `ms`, rejects when `signal` aborts. */
function fakeFetch(what: string, ms: number, signal?: AbortSignal): Promise<string> {
  console.log(`  fetch started: ${what}`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(`body of ${what}`), ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      console.log(`  fetch aborted: ${what} (${(signal.reason as Error).name})`);
      reject(signal.reason);
    });
  });
}

function* fetchBoth() {
  const eager = fakeFetch("/a", 5); // runs now, whether or not anyone waits
  console.log("  the task has not waited yet");
  const a = yield* fromPromise(eager);
  console.log(`  got ${a}`);
  try {
    yield* fromPromise(Promise.reject(new Error("404 on /b")));
  } catch (error) {
    console.log(`  caught at the yield: ${(error as Error).message}`);
  }
  return a;
}

function* slowDownload() {
  // The signal aborts when this task finishes, however it finishes: here, cancelled by timeout.
  return yield* fromPromise(fakeFetch("/big", 10_000, toAbortSignal()));
}

function* produce(tx: Sender<string>) {
  for (const line of ["alpha", "beta", "gamma"]) {
    yield* sleep(1);
    yield* tx.send(line);
  }
  tx.close();
}

async function* numbers() {
  for (let i = 1; i <= 3; i++) yield i * 10;
}

async function main(): Promise<void> {
  console.log("1. Promise → task: fromPromise");
  await run(fetchBoth);

  console.log("\n2. task → async code: await a JoinHandle");
  const rt = new Runtime();
  const h = rt.spawn(function* () {
    yield* sleep(2);
    return 42;
  });
  const done = rt.run(); // drives every task; resolves when all have finished
  console.log(`  await handle → ${await h}`);
  await done;

  console.log("\n3. cancellation → Promise work: toAbortSignal");
  try {
    await run(timeout(5, slowDownload));
  } catch (error) {
    console.log(`  run() rejected with ${(error as Error).name}`);
  }

  console.log("\n4. streams: asyncIterable and fromAsyncIterable");
  const [tx, rx] = channel<string>();
  const producer = run(produce(tx));
  for await (const line of asyncIterable(rx)) console.log(`  for await got ${line}`);
  await producer;
  const sum = await run(function* () {
    const source = fromAsyncIterable(numbers());
    let s = 0;
    for (let n = yield* source.recv(); n !== undefined; n = yield* source.recv()) s += n;
    return s;
  });
  console.log(`  a task summed an async generator: ${sum}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

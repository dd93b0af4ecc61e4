// await a future · from async code, `await fut` runs a wakeful future on a runtime of its own.
//
// Inside a task you write `yield* fut`. Outside any task — in an async function, at the top of a
// script, in a test — `await fut` works too: the future is driven as the main task of a fresh
// real-clock runtime (as `await run(fut)` would), and the await resolves with its value or
// rejects with its error. It never resolves to the future object itself.
//
// Each await is its own runtime: use it for one-off calls from async code. A program of tasks
// that share channels, locks or a virtual clock belongs in one `run(main)`.

import { join, pending, race, sleep, timeout } from "../lib/index";

function* one() {
  yield* sleep(2);
  return 1;
}

function* two() {
  yield* sleep(1);
  return "two";
}

function* slow() {
  try {
    yield* sleep(1000);
    return "slow";
  } finally {
    console.log("  (the slow racer was cancelled: its finally ran)");
  }
}

async function main(): Promise<void> {
  console.log(`await sleep(5) → ${await sleep(5)}`);
  console.log(`await join(one, two) → ${JSON.stringify(await join(one, two))}`);
  console.log(`await race(two, slow) → ${await race(two, slow)}`);
  try {
    await timeout(5, pending());
  } catch (error) {
    console.log(`await timeout(5, pending()) → rejected with ${(error as Error).name}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

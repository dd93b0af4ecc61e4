// rate-limiter · a Semaphore keeps at most 3 requests in flight, first come, first served.
//
// Every request acquires a permit before it starts and gives it back when it ends (`using`
// releases it at the end of the block, even if the request throws). Requests that find no
// permit wait in a FIFO queue.
//
// Watch three things:
//  - "bulk" needs 2 permits. At t=20 one permit is free, but "bulk" is at the head of the queue,
//    so "d", "late" and "e" behind it wait too: strict FIFO, nobody overtakes a large request
//    (tokio's acquire_many). "bulk" starts at t=30, when a second permit comes back.
//  - "late" gives up after waiting 15 ms (timeout): its waiter leaves the queue, takes nothing,
//    and the requests behind it move up.
//  - At the end all 3 permits are back: no permit is lost, whatever the requests did.

import { Semaphore, TimeoutError, now, runSync, sleep, spawn, timeout } from "../lib/index";
import type { JoinHandle } from "../lib/index";

const limiter = new Semaphore(3, { name: "api" });

interface Request {
  name: string;
  arrives: number;
  takes: number;
  permits?: number;
  patience?: number;
}

function inFlight(): string {
  return `${limiter.total - limiter.available}/${limiter.total} permits out`;
}

function* request(r: Request) {
  yield* sleep(r.arrives);
  const n = r.permits ?? 1;
  const who = r.name.padEnd(4);
  console.log(`t=${now()}\t${who} arrives${n > 1 ? ` (needs ${n} permits)` : ""}`);
  try {
    const acquiring = limiter.acquire(n);
    using _permit = r.patience === undefined ? yield* acquiring : yield* timeout(r.patience, acquiring);
    console.log(`t=${now()}\t${who} starts  [${inFlight()}]`);
    yield* sleep(r.takes);
    console.log(`t=${now()}\t${who} ends    (took ${r.takes} ms)`);
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    console.log(`t=${now()}\t${who} gives up after waiting ${r.patience} ms: it leaves the queue, taking nothing`);
  }
}

const requests: Request[] = [
  { name: "a", arrives: 0, takes: 30 },
  { name: "b", arrives: 0, takes: 20 },
  { name: "c", arrives: 5, takes: 40 },
  { name: "bulk", arrives: 10, takes: 25, permits: 2 },
  { name: "d", arrives: 12, takes: 10 },
  { name: "late", arrives: 14, takes: 10, patience: 15 },
  { name: "e", arrives: 16, takes: 5 },
];

runSync(function* () {
  const all: JoinHandle<void>[] = requests.map((r) => spawn(request(r), { name: r.name }));
  for (const h of all) yield* h;
  console.log(`t=${now()}\tall done: ${limiter.available} of ${limiter.total} permits free, nobody waiting (${limiter.waiting.length})`);
});

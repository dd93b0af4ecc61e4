// producer-consumer · two fast producers, one slow consumer, a bounded channel between them.
//
// The channel holds at most 2 jobs. Producer A makes a job every 5 ms, producer B every 8 ms,
// and the consumer needs 12 ms per job, so the buffer fills and the producers must wait:
// that is back-pressure. Each producer first tries `trySend` (never waits) to show when the
// buffer is full, then `yield* send(job)` parks it until the consumer frees a slot. Waiting
// senders are served first come, first served: a freed slot goes to whoever waited longest.
//
// Every producer owns a clone of the Sender and closes it when done; when the last one is
// closed and the buffer drained, `recv()` returns undefined and the consumer's loop ends.
// A virtual clock makes the times exact and the output deterministic.

import { Runtime, channel, now, sleep, type Receiver, type Sender } from "../lib/index";

const t = () => `t=${String(now()).padStart(2)}`;

function* producer(name: string, jobs: number, every: number, tx: Sender<string>) {
  for (let i = 1; i <= jobs; i++) {
    yield* sleep(every);
    const job = `${name}${i}`;
    if (tx.trySend(job)) {
      console.log(`${t()}  ${name} sent ${job}`);
      continue;
    }
    const since = now();
    console.log(`${t()}  ${name} buffer full: waits to send ${job}`);
    yield* tx.send(job); // parks until the consumer frees a slot for it
    console.log(`${t()}  ${name} sent ${job} after waiting ${now() - since} ms`);
  }
  tx.close();
  console.log(`${t()}  ${name} done, closes its sender`);
}

function* consumer(rx: Receiver<string>) {
  let handled = 0;
  for (let job; (job = yield* rx.recv()) !== undefined; ) {
    console.log(`${t()}  consumer got ${job} (${rx.length} still buffered), works 12 ms`);
    yield* sleep(12);
    handled++;
  }
  console.log(`${t()}  consumer: every sender closed and the buffer is drained, ${handled} jobs handled`);
}

const rt = new Runtime({ clock: "virtual" });
const [tx, rx] = channel<string>(2, { name: "jobs" });
rt.spawn(producer("A", 4, 5, tx.clone()), { name: "A" });
rt.spawn(producer("B", 3, 8, tx.clone()), { name: "B" });
tx.close(); // only the producers' clones keep the channel open
rt.spawn(consumer(rx), { name: "consumer" });
rt.runSync();

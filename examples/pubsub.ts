// pubsub · one publisher, subscribers at different speeds, a broadcast channel keeping 3.
//
// Every subscriber sees every message published after it subscribed, in order, unless it
// falls behind: the channel keeps only the last 3 messages, and the publisher never waits
// for anyone. A subscriber more than 3 behind loses the oldest it had not read; its next
// `recv()` throws a LaggedError saying how many it missed (`.skipped`), and the one after
// carries on from the oldest message still kept (tokio's `RecvError::Lagged`).
//
// "fast" reads at once, "slow" needs 7 ms per message and lags, "late" subscribes at t=9 and
// so never sees the earlier ticks. `send` returns how many subscribers the message reached.
// When the publisher closes, each subscriber reads what is left and then gets undefined.

import { LaggedError, Runtime, broadcast, now, sleep, type BroadcastReceiver, type BroadcastSender } from "../lib/index";

const t = () => `t=${String(now()).padStart(2)}`;

function* publisher(tx: BroadcastSender<string>) {
  for (let i = 1; i <= 8; i++) {
    const reached = tx.send(`tick ${i}`);
    console.log(`${t()}  publisher sent tick ${i} to ${reached} subscriber${reached === 1 ? "" : "s"}`);
    yield* sleep(2);
  }
  tx.close();
  console.log(`${t()}  publisher closes`);
}

function* subscriber(name: string, rx: BroadcastReceiver<string>, workMs: number) {
  let seen = 0;
  for (;;) {
    let message: string | undefined;
    try {
      message = yield* rx.recv();
    } catch (error) {
      if (!(error instanceof LaggedError)) throw error;
      console.log(`${t()}  ${name.padEnd(4)} fell behind: missed ${error.skipped}, continues from the oldest kept`);
      continue;
    }
    if (message === undefined) break;
    seen++;
    console.log(`${t()}  ${name.padEnd(4)} got ${message}`);
    if (workMs > 0) yield* sleep(workMs);
  }
  console.log(`${t()}  ${name.padEnd(4)} sees the end after ${seen} messages`);
}

function* lateSubscriber(tx: BroadcastSender<string>) {
  yield* sleep(9);
  yield* subscriber("late", tx.subscribe(), 0); // sees what is sent from now on
}

const rt = new Runtime({ clock: "virtual" });
const [tx, fast] = broadcast<string>(3, { name: "ticks" });
const slow = tx.subscribe();
rt.spawn(subscriber("fast", fast, 0), { name: "fast" });
rt.spawn(subscriber("slow", slow, 7), { name: "slow" });
rt.spawn(lateSubscriber(tx), { name: "late" });
rt.spawn(publisher(tx), { name: "publisher" });
rt.runSync();

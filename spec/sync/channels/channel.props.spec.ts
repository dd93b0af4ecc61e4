import { expect } from "chai";
import fc from "fast-check";
import { CancelledError, ChannelClosedError, channel, runSync, sleep, spawn, yieldNow, type JoinHandle, type Scheduler, type Sender } from "../../../lib/index";
import { replay, scheduleArbitrary } from "../../../lib/testing/index";

// Random programs over one channel: several sender tasks (each with its own cloned Sender) and
// several receiver tasks sharing the Receiver, interleaved by yieldNow/sleep on a virtual clock,
// some aborted from outside or by each other at awkward moments (just after a recv has granted a
// slot to a waiting sender, just after a send has reserved a message for a waiting receiver), and
// sender handles are closed by other tasks while their sends wait.
// Properties: every message whose send completed is received exactly once; no message whose send
// was cancelled or refused is ever received; each sender's messages arrive in the order sent; and
// afterwards the channel has no leaked slot or reservation.

type SenderStep =
  | { k: "send" }
  | { k: "trySend" }
  | { k: "yield" }
  | { k: "sleep"; ms: number }
  | { k: "abortReceiver"; who: number }
  | { k: "close" };
type ReceiverStep =
  | { k: "recv" }
  | { k: "tryRecv" }
  | { k: "yield" }
  | { k: "sleep"; ms: number }
  | { k: "abortSender"; who: number }
  | { k: "closeSender"; who: number }
  | { k: "closeRx" };

const common = [
  fc.constant({ k: "yield" as const }),
  fc.record({ k: fc.constant("sleep" as const), ms: fc.integer({ min: 0, max: 3 }) }),
];
const senderStep: fc.Arbitrary<SenderStep> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ k: "send" as const }) },
  { weight: 1, arbitrary: fc.constant({ k: "trySend" as const }) },
  { weight: 2, arbitrary: fc.oneof(...common) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("abortReceiver" as const), who: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.constant({ k: "close" as const }) },
);
const receiverStep: fc.Arbitrary<ReceiverStep> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ k: "recv" as const }) },
  { weight: 1, arbitrary: fc.constant({ k: "tryRecv" as const }) },
  { weight: 2, arbitrary: fc.oneof(...common) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("abortSender" as const), who: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("closeSender" as const), who: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.constant({ k: "closeRx" as const }) },
);
const scenario = fc.record({
  capacity: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  senders: fc.array(fc.array(senderStep, { maxLength: 10 }), { minLength: 1, maxLength: 3 }),
  receivers: fc.array(fc.array(receiverStep, { maxLength: 10 }), { maxLength: 3 }),
  aborts: fc.array(fc.record({ at: fc.integer({ min: 0, max: 8 }), sender: fc.boolean(), who: fc.nat(3) }), { maxLength: 3 }),
  allowCloseRx: fc.boolean(),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer R> ? R : never;
type Outcome = { sent: Set<string>; refused: Set<string>; cancelled: Set<string>; received: string[]; leaks: string[] };

function play(s: Scenario, scheduler?: Scheduler): Outcome {
  const sent = new Set<string>();
  const refused = new Set<string>();
  const cancelled = new Set<string>();
  const received: string[] = [];
  const leaks: string[] = [];
  runSync(function* () {
    const [tx, rx] = channel<string>(s.capacity);
    const senders: JoinHandle<void>[] = [];
    const receivers: JoinHandle<void>[] = [];
    const handles: Sender<string>[] = [];
    const pick = (hs: JoinHandle<void>[], who: number) => hs[who % Math.max(1, hs.length)];

    s.senders.forEach((steps, id) => {
      senders.push(
        spawn(function* () {
          // Cloned by the task itself: a task aborted before its first step never runs its
          // body, so a clone made for it by the spawner would never be closed.
          const mine = tx.clone();
          handles.push(mine);
          let seq = 0;
          try {
            for (const step of steps) {
              if (step.k === "send" || step.k === "trySend") {
                const m = `${id}:${seq++}`;
                try {
                  if (step.k === "send") {
                    yield* mine.send(m);
                    sent.add(m);
                  } else if (mine.trySend(m)) sent.add(m);
                } catch (error) {
                  if (error instanceof ChannelClosedError) refused.add(m);
                  else if (error instanceof CancelledError) cancelled.add(m);
                  throw error;
                }
              } else if (step.k === "yield") yield* yieldNow();
              else if (step.k === "sleep") yield* sleep(step.ms);
              else if (step.k === "abortReceiver") pick(receivers, step.who)?.abort();
              else mine.close();
            }
          } catch (error) {
            if (!(error instanceof ChannelClosedError)) throw error;
          } finally {
            mine.close();
          }
        }),
      );
    });
    s.receivers.forEach((steps) => {
      receivers.push(
        spawn(function* () {
          for (const step of steps) {
            if (step.k === "recv") {
              const m = yield* rx.recv();
              if (m !== undefined) received.push(m);
              else if (!rx.closed) leaks.push("recv returned undefined while the channel was open");
            } else if (step.k === "tryRecv") {
              const m = rx.tryRecv();
              if (m !== undefined) received.push(m);
            } else if (step.k === "yield") yield* yieldNow();
            else if (step.k === "sleep") yield* sleep(step.ms);
            else if (step.k === "abortSender") pick(senders, step.who)?.abort();
            else if (step.k === "closeSender") handles[step.who % handles.length]?.close(); // perhaps while its send waits
            else if (s.allowCloseRx) rx.close();
          }
        }),
      );
    });
    spawn(function* () {
      for (const a of [...s.aborts].sort((x, y) => x.at - y.at)) {
        yield* sleep(a.at);
        pick(a.sender ? senders : receivers, a.who)?.abort();
      }
    });

    // The main task drains what nobody else takes, so a full channel cannot stall the senders;
    // once they are done, receivers still waiting (main's own sender keeps the channel open)
    // are aborted, which must leave any message reserved for them in the buffer.
    // Every program ends within a few hundred ms of virtual time: past that, a task is stuck.
    for (let t = 0; senders.some((h) => !h.finished); t++) {
      for (let m; (m = rx.tryRecv()) !== undefined; ) received.push(m);
      if (t === 1000) {
        leaks.push("a sender is stuck although the channel is drained");
        return;
      }
      yield* sleep(1);
    }
    for (const h of receivers) h.abort();
    for (let t = 0; receivers.some((h) => !h.finished); t++) {
      if (t === 1000) {
        leaks.push("an aborted receiver never finished");
        return;
      }
      yield* sleep(1);
    }
    for (let m; (m = rx.tryRecv()) !== undefined; ) received.push(m);
    if (rx.length !== 0) leaks.push(`${rx.length} messages stuck in the buffer`);

    // No leaked slot or reservation: the full capacity is usable, in order, by a fresh sender.
    if (!rx.closed) {
      const n = s.capacity ?? 4;
      for (let i = 0; i < n; i++) if (!tx.trySend(`probe:${i}`)) leaks.push(`slot ${i} of ${n} not free`);
      for (let i = 0; i < n; i++) {
        const m = rx.tryRecv();
        if (m !== `probe:${i}`) leaks.push(`probe ${i} came back as ${String(m)}`);
      }
    }
    tx.close();
    if (rx.tryRecv() !== undefined || !rx.closed) leaks.push("the channel did not end after every sender closed");
  }, scheduler === undefined ? undefined : { scheduler });
  return { sent, refused, cancelled, received, leaks };
}

/** The properties every outcome must have. */
function checkOutcome(o: Outcome): void {
  expect(o.leaks).to.deep.equal([]);
  expect(new Set(o.received).size, "a message was received twice").to.equal(o.received.length);
  expect([...o.received].sort()).to.deep.equal([...o.sent].sort());
  for (const m of o.refused) expect(o.received).not.to.include(m);
  for (const m of o.cancelled) expect(o.received).not.to.include(m);
  const last = new Map<string, number>();
  for (const m of o.received) {
    const [who, seq] = m.split(":").map(Number) as [number, number];
    expect(seq, `sender ${who} out of order`).to.be.greaterThan(last.get(String(who)) ?? -1);
    last.set(String(who), seq);
  }
}

describe("sync: channel() properties", () => {
  it("no message is lost or duplicated, and each sender's messages arrive in order, under random programs with aborts", () => {
    fc.assert(
      fc.property(scenario, (s) => checkOutcome(play(s))),
      { numRuns: 300 },
    );
  });

  it("the same holds when the scheduler, not FIFO, picks which ready task runs next", () => {
    fc.assert(
      fc.property(scenario, scheduleArbitrary(), (s, schedule) => checkOutcome(play(s, replay(schedule)))),
      { numRuns: 300 },
    );
  });

  it("the property is not vacuous: sends complete, get cancelled and get refused across runs", () => {
    let sent = 0;
    let cancelled = 0;
    let refused = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const o = play(s);
        sent += o.sent.size;
        cancelled += o.cancelled.size;
        refused += o.refused.size;
      }),
      { numRuns: 300, seed: 42 },
    );
    expect(sent).to.be.greaterThan(100);
    expect(cancelled).to.be.greaterThan(0);
    expect(refused).to.be.greaterThan(0);
  });
});

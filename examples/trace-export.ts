// trace export: record a run, then look at it three ways — a text timeline here, an HTML page
// with a replay slider, and a Perfetto trace — both files written into build/trace-export/.
//
// The program: a producer sends four readings over a channel of capacity 1, a consumer takes
// 5 ms to handle each, and meanwhile main runs a slow check under `timeout(12, …)`, which
// runs it as a child task and cancels it when the 12 ms are up. Run on
// a virtual clock with `trace: true`, every spawn, poll, park, wake, timer and ending lands in
// `rt.trace`; wakeful/trace turns that into:
//   · `timeline(events)`      a text swim-lane chart (printed below)
//   · `htmlTimeline(events)`  one self-contained page: lanes as SVG, hover details, a step
//                             slider that replays the run poll by poll
//   · `chromeTrace(events)`   Trace Event Format JSON: open it at https://ui.perfetto.dev
//                             (Open trace file) or in chrome://tracing (Load)
//
// Notice, in the chart: the producer parks on `send` while the channel is full and the
// consumer's `recv` wakes it ("wake #2"); at t=12 the timeout's timer wakes main, which aborts
// the slow check ("abort #4"), whose `finally` block still runs before main goes on.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { channel, Runtime, sleep, spawn, timeout, TimeoutError } from "../lib/index";
import type { Operation, Receiver, Sender } from "../lib/index";
import { chromeTrace, htmlTimeline, timeline } from "../lib/trace/index";

function* producer(tx: Sender<number>): Operation<void> {
  for (let reading = 1; reading <= 4; reading++) {
    yield* tx.send(reading * 10);
    yield* sleep(3);
  }
  tx.close();
}

function* consumer(rx: Receiver<number>): Operation<number> {
  let sum = 0;
  for (let v = yield* rx.recv(); v !== undefined; v = yield* rx.recv()) {
    yield* sleep(5); // handling a reading takes a while
    sum += v;
  }
  return sum;
}

function* slowCheck(): Operation<void> {
  try {
    yield* sleep(100);
  } finally {
    console.log("slow-check: cancelled, its finally block ran");
  }
}

function* main(): Operation<void> {
  const [tx, rx] = channel<number>(1);
  const p = spawn(producer(tx), { name: "producer" });
  const c = spawn(consumer(rx), { name: "consumer" });
  try {
    yield* timeout(12, slowCheck());
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    console.log(`main: the slow check ${error.message}`);
  }
  yield* p;
  console.log(`main: the consumer summed ${yield* c}`);
}

const rt = new Runtime({ clock: "virtual", trace: true });
rt.spawn(main(), { name: "main" });
rt.runSync();

console.log(`\n${rt.trace.length} events, ${rt.metrics.spawned} tasks, ${rt.now()} ms of virtual time:\n`);
console.log(timeline(rt.trace, { width: 24 }));

const root = join(__dirname, "..");
const dir = join(root, "build", "trace-export");
mkdirSync(dir, { recursive: true });
const html = join(dir, "pipeline.html");
const perfetto = join(dir, "pipeline.trace.json");
writeFileSync(html, htmlTimeline(rt.trace, { title: "examples/trace-export.ts: a producer, a consumer and a timeout" }));
writeFileSync(perfetto, JSON.stringify(chromeTrace(rt.trace)));
console.log(`\nWrote the HTML timeline:  ${relative(root, html)}  (open it in any browser; drag the slider to replay)`);
console.log(`Wrote the Perfetto trace: ${relative(root, perfetto)}  (open it at https://ui.perfetto.dev or in chrome://tracing)`);

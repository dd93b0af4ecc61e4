// tutorial 09 · from the tutorial to lib/: each idea, the file that implements it, checked live.
//
// Chapters 01–08 rebuilt a runtime from nothing. wakeful is that runtime, grown up; this
// example walks its source in reading order and, for each file, runs one small check of the
// idea it holds (docs/tutorial/09-the-real-files.md says more about each one).
//
// Notice: every line below is computed by running wakeful, not written by hand — if a claim
// stopped being true, this example's output would change and `npm test` would say so. The
// traced run of the events.ts row is written as a page (build/tutorial/09-tour-of-lib.html).

import { Poll, Runtime, call, from, now, pollFn, ready, run, runSync, sleep, spawn, timeout, yieldNow } from "../../lib/index";
import { RingQueue } from "../../lib/primitives/index";
import type { Context, Operation, Scheduler, TraceEvent } from "../../lib/index";
import { Countdown } from "./support/futures";
import { look, moveWhere } from "./support/page";

const row = (file: string, idea: string, fact: unknown) => console.log(`${file.padEnd(13)} ${idea.padEnd(58)} ${String(fact)}`);

async function tour(): Promise<void> {
  row("poll.ts", "Poll.pending is one frozen object: Pending allocates nothing", Object.isFrozen(Poll.pending));

  let sameWaker = false;
  let wakerIsTask = false;
  runSync(function* () {
    let first: unknown;
    yield* pollFn((cx: Context) => {
      if (first === undefined) {
        first = cx.waker;
        cx.waker.wake();
        return Poll.pending;
      }
      sameWaker = cx.waker === first;
      wakerIsTask = cx.waker === (cx as unknown);
      return Poll.ready(undefined);
    });
  });
  row("waker.ts", "a task hands the same waker to every poll", sameWaker);
  row("task.ts", "the task is its own Waker and Context (cx.waker === cx)", wakerIsTask);

  const kinds = new Set<string>();
  const recorded: TraceEvent[] = [];
  const rt = new Runtime({ clock: "virtual", trace: (e: TraceEvent) => void (kinds.add(e.kind), recorded.push(e)) });
  rt.spawn(function* () {
    yield* from(new Countdown("c", 1));
    yield* sleep(1);
  });
  rt.runSync();
  row("events.ts", "a traced run records what the driver did", [...kinds].join(" "));

  const busy = new Runtime({ clock: "virtual" });
  busy.spawn(function* () {
    for (let i = 0; i < 300; i++) yield* ready(i);
  });
  busy.runSync();
  row("driver.ts", "an always-ready task yields after `budget` (128) polls", `${busy.metrics.forcedYields} forced yields in 300 polls`);

  const stepped = new Runtime({ clock: "virtual" });
  stepped.spawn(function* () {
    yield* sleep(5);
  });
  const e1 = stepped.step();
  const e2 = stepped.step();
  row("runtime.ts", "rt.step() polls one task and says what happened", `${e1?.kind} at t=${e1?.t}, then ${e2?.kind} at t=${e2?.t}`);

  const order: string[] = [];
  runSync(function* () {
    for (const [label, ms] of [["late", 20], ["first", 10], ["second", 10]] as const) spawn(function* () {
      yield* sleep(ms);
      order.push(`${label}@${now()}`);
    });
    yield* sleep(30);
  });
  row("timer.ts", "timers fire by deadline, then by creation order", order.join(", "));

  const limited = new Runtime({ clock: "virtual" });
  const timedOut = limited.spawn(function* () {
    try {
      yield* timeout(5, sleep(10));
      return "in time";
    } catch (error) {
      return (error as Error).name;
    }
  });
  limited.runSync();
  // metrics.timers counts the entries in the heap: a cancelled sleep that kept its timer would show here.
  row("time.ts", "timeout(5, sleep(10)) cancels the sleep, and its timer", `${await timedOut} at t=${limited.now()}; timers left: ${limited.metrics.timers}`);

  const turns: string[] = [];
  runSync(function* () {
    const take = function* (name: string): Operation<void> {
      for (let i = 1; i <= 2; i++) {
        turns.push(`${name}${i}`);
        yield* yieldNow();
      }
    };
    const a = spawn(take("a"));
    const b = spawn(take("b"));
    yield* a;
    yield* b;
  });
  row("futures.ts", "yieldNow() lets every other ready task run first", turns.join(" "));

  const minute = new Runtime({ clock: "virtual" });
  minute.spawn(function* () {
    yield* sleep(60_000);
  });
  minute.runSync(); // synchronous: it returns before any host timer could have fired
  row("clock.ts", "a virtual clock jumps to the next timer: sleep(60000)", `done at t=${minute.now()}, synchronously, in ${minute.metrics.polls} polls`);

  const q = new RingQueue<string>(2);
  for (const s of ["a", "b", "c", "d"]) q.push(s);
  row("queue.ts", "RingQueue: FIFO, grows, no Array.shift", [q.shift(), q.shift(), q.shift(), q.shift()].join(""));

  function* depth(n: number): Operation<number> {
    return n === 0 ? 0 : 1 + (yield* call(() => depth(n - 1)));
  }
  row("call.ts", "call() recursion 100,000 frames deep", runSync(function* () {
    return yield* depth(100_000);
  }));

  const lifo: Scheduler = { chooseTask: (ready) => ready.length - 1 };
  const picked: string[] = [];
  runSync(function* () {
    const handles = ["a", "b", "c"].map((name) => spawn(function* () {
      picked.push(name);
    }));
    for (const h of handles) yield* h; // main parks; a, b and c are ready together
  }, { scheduler: lifo });
  row("scheduler.ts", "a Scheduler picks among ready tasks (here: the last)", picked.join(" "));

  const real = new Runtime();
  const h = real.spawn(function* () {
    yield* sleep(1);
    return "joined";
  });
  await real.run();
  row("handle.ts", "a JoinHandle is a Future and a PromiseLike", await h);

  const before = performance.now();
  await run(function* () {
    yield* sleep(2); // a real clock: the driver asks host.ts to arm one host timer
  });
  row("host.ts", "the one file that touches host timers: run() + sleep(2)", `waited ${performance.now() - before >= 2 ? "2 ms or more" : "less than 2 ms (?)"} of wall time`);

  // events.ts's run, as the page every chapter wrote: the machine the files above implement.
  console.log(`\n${look("09-tour-of-lib", "09 · the real files: a Countdown, then a sleep", recorded, moveWhere(recorded, "poll sleep(1) until t=1 → park"))}`);
}

tour().catch((error) => {
  console.error(error);
  process.exit(1);
});

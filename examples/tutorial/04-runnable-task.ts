// tutorial 04 · the Runnable/Task split, a schedule function, and error isolation.
//
// Rust's async-task splits a spawned task into two handles. The Runnable is the permission to
// poll the task once; the executor holds it while the task is ready. The Task (here
// `JoinHandle`) is the permission to get the result. Between them sits one function,
// `schedule(runnable)`, which the task calls when it is woken: that function *is* the executor's
// policy (here: push onto a FIFO queue). The task knows nothing else about the executor.
//
// Our tasks are generators, as in wakeful: a task yields a future, the Runnable polls it, and a
// Ready value resumes the generator at once (same step); Pending ends the step. A poll that
// throws throws into the generator at its `yield`, which may catch it. An error that escapes
// the generator fails that task only: the Runnable catches it, stores it for the JoinHandle,
// and the executor loop carries on with the next task.
//
// Notice: the Runnable is also the task's Waker (one object per task, as in wakeful's task.ts),
// so waking costs no allocation, and `willWake` is just identity. Last, the same four tasks on
// wakeful, written as a page (build/tutorial/04-runnable-task.html); at the move where fragile
// fails, the others are still in the run queue, each with the reason it is there.

import { Poll, Runtime } from "../../lib/index";
import { RingQueue } from "../../lib/primitives/index";
import type { Context, Future, Waker } from "../../lib/index";
import { Countdown, Doorbell } from "./support/futures";
import { look, moveWhere } from "./support/page";

type Body<T> = Generator<Future<unknown>, T, unknown>;
type Schedule = (runnable: Runnable<unknown>) => void;

const IDLE = 0; // parked: waiting for a wake
const SCHEDULED = 1; // in the executor's queue (held as a Runnable)
const RUNNING = 2;
const NOTIFIED = 3; // woken while running: schedule again when the step ends
const DONE = 4;

/** The permission to poll a task once; also its Waker and the Context its futures see. */
class Runnable<T> implements Waker, Context {
  state = SCHEDULED;
  private current: Future<unknown> | undefined = undefined;
  result: { ok: true; value: T } | { ok: false; error: unknown } | undefined = undefined;
  readonly joiners: Waker[] = [];

  constructor(
    readonly name: string,
    private readonly body: Body<T>,
    private readonly schedule: Schedule,
  ) {}

  wake(): void {
    if (this.state === IDLE) {
      this.state = SCHEDULED;
      this.schedule(this as Runnable<unknown>);
    } else if (this.state === RUNNING) this.state = NOTIFIED;
  }
  wakeByRef(): void {
    this.wake();
  }
  clone(): Waker {
    return this;
  }
  willWake(other: Waker): boolean {
    return other === this;
  }

  /** One step: resume the generator and poll what it yields until Pending or the end. */
  run(): string {
    this.state = RUNNING;
    let resume: { value: unknown } | { error: unknown } = { value: undefined };
    try {
      for (;;) {
        if (this.current !== undefined) {
          let p: Poll<unknown>;
          try {
            p = this.current.poll(this);
          } catch (error) {
            this.current = undefined;
            resume = { error }; // rule: a poll that throws throws at the yield
            continue;
          }
          if (!p.ready) {
            const again = this.state === NOTIFIED;
            this.state = again ? SCHEDULED : IDLE;
            if (again) this.schedule(this as Runnable<unknown>);
            return again ? "Pending, woken during its poll: scheduled again" : "Pending: parked";
          }
          this.current = undefined;
          resume = { value: p.value };
        }
        const r = "error" in resume ? this.body.throw(resume.error) : this.body.next(resume.value);
        if (r.done === true) return this.finish({ ok: true, value: r.value });
        this.current = r.value;
      }
    } catch (error) {
      return this.finish({ ok: false, error }); // the error ends this task, and only this task
    }
  }

  /** The Context view: reading the waker is what a future does to arrange its wake-up. */
  get waker(): Waker {
    return this;
  }

  private finish(result: NonNullable<Runnable<T>["result"]>): string {
    this.state = DONE;
    this.result = result;
    for (const w of this.joiners.splice(0)) w.wake();
    return result.ok ? `Ready: returned ${JSON.stringify(result.value)}` : `failed: ${String(result.error)}`;
  }
}

/** The permission to get a task's result: a future itself, so other tasks can wait on it. */
class JoinHandle<T> implements Future<T> {
  constructor(private readonly task: Runnable<T>) {}
  poll(cx: Context): Poll<T> {
    const r = this.task.result;
    if (r === undefined) {
      if (!this.task.joiners.some((w) => w.willWake(cx.waker))) this.task.joiners.push(cx.waker);
      return Poll.pending;
    }
    if (r.ok) return Poll.ready(r.value);
    throw r.error; // the joiner gets the task's error at its yield
  }
}

function spawn<T>(name: string, body: Body<T>, schedule: Schedule): [Runnable<T>, JoinHandle<T>] {
  const runnable = new Runnable(name, body, schedule);
  return [runnable, new JoinHandle(runnable)];
}

// ── The executor: a queue, and the schedule function that feeds it. ───────────────────

const queue = new RingQueue<Runnable<unknown>>();
const schedule: Schedule = (r) => queue.push(r);
const bell = new Doorbell("bell");

/** A future whose poll throws. */
const broken: Future<never> = {
  poll() {
    throw new Error("the disk is on fire");
  },
};

const [r1, adder] = spawn("adder", (function* () {
  yield new Countdown("warm-up", 2);
  return 40 + 2;
})(), schedule);
const [r2, fragile] = spawn("fragile", (function* (): Body<string> {
  yield broken; // not caught: this task fails
  return "unreachable";
})(), schedule);
const [r3] = spawn("careful", (function* () {
  try {
    yield broken;
  } catch (error) {
    console.log(`    careful: caught "${(error as Error).message}" at its yield, carries on`);
  }
  const ding = (yield bell) as string;
  return ding;
})(), schedule);
const [r4] = spawn("main", (function* () {
  const sum = (yield adder) as number;
  console.log(`    main: adder returned ${sum}`);
  try {
    yield fragile;
  } catch (error) {
    console.log(`    main: fragile failed with "${(error as Error).message}" — only fragile`);
  }
  bell.ring();
  return "main done";
})(), schedule);
for (const r of [r1, r2, r3, r4]) schedule(r as Runnable<unknown>);

let steps = 0;
while (queue.length > 0) {
  const r = queue.shift() as Runnable<unknown>;
  console.log(`step ${++steps}: ${r.name}`);
  console.log(`  → ${r.run()}`);
}
console.log(`queue empty after ${steps} steps; the executor never saw an exception`);

// The same four tasks on wakeful, where the Runnable and the Waker are one Task object and the
// schedule function is the driver's run queue.
const rt = new Runtime({ clock: "virtual", trace: true, onTaskError: () => {} });
const doorbell = new Doorbell("bell");
const wAdder = rt.spawn(function* () {
  yield new Countdown("warm-up", 2);
  return 40 + 2;
}, { name: "adder" });
const wFragile = rt.spawn(function* () {
  yield broken;
}, { name: "fragile" });
rt.spawn(function* () {
  try {
    yield broken;
  } catch {
    // caught at its yield: this task carries on
  }
  return (yield doorbell) as string;
}, { name: "careful" });
rt.spawn(function* () {
  yield* wAdder;
  try {
    yield* wFragile;
  } catch {
    // only fragile failed
  }
  doorbell.ring();
}, { name: "main" });
rt.runSync();
console.log(`\n${look("04-runnable-task", "04 · four tasks on wakeful: a failure stays in its task", rt.trace, moveWhere(rt.trace, "fail:"))}`);

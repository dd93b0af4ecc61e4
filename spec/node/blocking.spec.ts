// spawnBlocking and BlockingPool: results and errors as futures, structured clone both ways,
// a bounded pool, cancellation (queued: never runs; running: discarded, then terminated after
// the grace), dead workers, outside-work counting, and an idle pool that lets the process exit.

import { execFile } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "chai";
import { Runtime, all, current, run, sleep, spawn } from "../../lib/index";
import { BlockingPool, spawnBlocking } from "../../lib/node/index";
import { rejection, thrown, words } from "./helpers";

const JOBS = join(__dirname, "fixtures", "jobs.js");
const ESM_JOBS = pathToFileURL(join(__dirname, "fixtures", "jobs.mjs"));

describe("wakeful/node spawnBlocking", function () {
  this.timeout(20_000);
  const pools: BlockingPool[] = [];
  const pool = (size: number, cancelGraceMs?: number) => {
    const p = new BlockingPool(cancelGraceMs === undefined ? { size } : { size, cancelGraceMs });
    pools.push(p);
    return p;
  };
  after(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  describe("results", () => {
    it("runs an export on a worker thread and gives its value", async () => {
      const out = await run(function* () {
        const sum = yield* spawnBlocking<number>(JOBS, "add", 2, 3);
        const thread = yield* spawnBlocking<number>(JOBS, "thread");
        return { sum, onAnotherThread: thread !== 0 };
      });
      expect(out).to.deep.equal({ sum: 5, onAnotherThread: true });
    });

    it("awaits an async export, and loads an ES module from a file: URL", async () => {
      const p = pool(1);
      const out = await run(function* () {
        const later = yield* p.run<string>(JOBS, "later", 5, "late");
        const sq = yield* p.run<number>(ESM_JOBS, "square", 7);
        const rich = yield* p.run<{ n: number; square: number }>(ESM_JOBS, "squareLater", 3);
        return { later, sq, square: rich.square };
      });
      expect(out).to.deep.equal({ later: "late", sq: 49, square: 9 });
    });

    it("clones arguments and results: a Map and a typed array cross intact", async () => {
      const p = pool(1);
      const value = { m: new Map([["a", 1]]), bytes: new Uint8Array([1, 2, 3]), when: new Date(0) };
      const back = await run(() => p.run<typeof value>(JOBS, "echo", value));
      expect(back).to.not.equal(value);
      expect(back.m.get("a")).to.equal(1);
      expect([...back.bytes]).to.deep.equal([1, 2, 3]);
      expect(back.when.getTime()).to.equal(0);
    });

    it("runs jobs in parallel up to the pool's size, and queues the rest FIFO", async () => {
      const p = pool(2);
      const seen = await run(function* () {
        const started = Date.now();
        const jobs = [1, 2, 3, 4].map((i) => spawn(() => p.run<string>(JOBS, "later", 100, `job ${i}`)));
        yield* sleep(30);
        const snapshot = { workers: p.workers, busy: p.busy, queued: p.queued };
        const values: string[] = [];
        for (const j of jobs) values.push(yield* j);
        return { snapshot, values, elapsed: Date.now() - started };
      });
      expect(seen.snapshot).to.deep.equal({ workers: 2, busy: 2, queued: 2 });
      expect(seen.values).to.deep.equal(["job 1", "job 2", "job 3", "job 4"]);
      expect(seen.elapsed).to.be.at.least(190);
    });
  });

  describe("errors are thrown at the yield", () => {
    it("keeps a built-in error's class, message, stack and own data", async () => {
      const error = (await rejection(run(() => spawnBlocking(JOBS, "failRange", "too big")))) as RangeError & { code: string; detail: unknown };
      expect(error).to.be.instanceOf(RangeError);
      expect(error.message).to.equal("too big");
      expect(error.code).to.equal("E_JOB");
      expect(error.detail).to.deep.equal({ n: 1 });
      expect(error.stack).to.include("failRange");
    });

    it("keeps a custom error's name, and throws a thrown non-Error value as itself", async () => {
      const custom = (await rejection(run(() => spawnBlocking(JOBS, "failCustom", "nope")))) as Error;
      expect(custom.name).to.equal("JobError");
      expect(custom.message).to.equal("nope");
      expect(await rejection(run(() => spawnBlocking(JOBS, "throwValue")))).to.equal(42);
    });

    it("names a missing export and lists the module's functions", async () => {
      const error = (await rejection(run(() => spawnBlocking(JOBS, "nope")))) as Error;
      expect(error).to.be.instanceOf(TypeError);
      expect(error.message).to.include('has no function export "nope"');
      expect(error.message).to.include("add, fib");
    });

    it("arguments or a result that cannot be cloned fail the job, not the pool", async () => {
      const p = pool(1);
      const out = await run(function* () {
        const errors: string[] = [];
        for (const [name, arg] of [["echo", () => 1], ["aFunction", undefined]] as const) {
          try {
            yield* p.run(JOBS, name, arg);
          } catch (error) {
            errors.push(`${(error as Error).name}: ${(error as Error).message}`);
          }
        }
        const after = yield* p.run<number>(JOBS, "add", 1, 1);
        return { errors, after };
      });
      expect(out.errors[0]).to.match(/^TypeError: the arguments of echo\(\) cannot be sent to a worker/);
      expect(out.errors[1]).to.match(/^DataCloneError: the result of aFunction\(\) cannot be sent back/);
      expect(out.after).to.equal(2);
    });

    it("a worker that exits mid-job fails that job, and a fresh worker serves the next", async () => {
      const p = pool(1);
      const out = await run(function* () {
        let message = "";
        try {
          yield* p.run(JOBS, "exit", 3);
        } catch (error) {
          message = (error as Error).message;
        }
        const next = yield* p.run<number>(JOBS, "add", 20, 22);
        return { message, next };
      });
      expect(out.message).to.match(/worker \d+ exited with code 3 while exit\(\) ran/);
      expect(out.next).to.equal(42);
    });
  });

  describe("cancellation", () => {
    it("a queued job whose task is cancelled never runs", async () => {
      const p = pool(1);
      const calls = await run(function* () {
        const blocker = spawn(() => p.run(JOBS, "spin", 200));
        yield* sleep(20);
        const queued = spawn(() => p.run(JOBS, "add", 1, 2));
        yield* sleep(5);
        const queuedBefore = p.queued;
        queued.abort();
        yield* sleep(1);
        const queuedAfter = p.queued;
        yield* blocker;
        const n = yield* p.run<number>(JOBS, "calls");
        return { queuedBefore, queuedAfter, n };
      });
      expect(calls).to.deep.equal({ queuedBefore: 1, queuedAfter: 0, n: 0 });
    });

    it("a running job whose task is cancelled is discarded, and its worker serves the next job", async () => {
      const p = pool(1, 5_000);
      const out = await run(function* () {
        const first = yield* p.run<number>(JOBS, "thread");
        const job = spawn(() => p.run(JOBS, "spin", 500));
        yield* sleep(20);
        job.abort();
        let cancelled = false;
        try {
          yield* job;
        } catch (error) {
          cancelled = (error as Error).name === "CancelledError";
        }
        const busyAfterAbort = p.busy; // the job still runs: JavaScript cannot be interrupted
        const next = yield* p.run<number>(JOBS, "thread");
        return { cancelled, busyAfterAbort, sameWorker: next === first, workers: p.workers };
      });
      expect(out).to.deep.equal({ cancelled: true, busyAfterAbort: 1, sameWorker: true, workers: 1 });
    });

    it("a cancelled job still running after the grace period is terminated, and a new worker takes over", async () => {
      const p = pool(1, 50);
      const out = await run(function* () {
        const first = yield* p.run<number>(JOBS, "thread");
        const job = spawn(() => p.run(JOBS, "spin", 5_000));
        yield* sleep(20);
        const started = Date.now();
        job.abort();
        const next = yield* p.run<number>(JOBS, "thread");
        return { newWorker: next !== first, waited: Date.now() - started };
      });
      expect(out.newWorker).to.equal(true);
      expect(out.waited).to.be.below(4_000); // not the 5 s the job would have taken
    });
  });

  describe("the runtime and the process", () => {
    it("a waiting job counts as outside work, so a virtual-clock runtime waits for it", async () => {
      const p = pool(1);
      const rt = new Runtime({ clock: "virtual" });
      const h = rt.spawn(function* () {
        const counted = spawn(function* () {
          yield* sleep(1);
          return current().metrics.pendingExternal;
        });
        const [fib, whileWaiting] = yield* all([p.run<number>(JOBS, "fib", 20), counted]);
        return { fib, whileWaiting, after: current().metrics.pendingExternal };
      });
      await rt.run();
      expect(await h).to.deep.equal({ fib: 6765, whileWaiting: 1, after: 0 });
    });

    it("describes a job by its export, module and place in the pool", async () => {
      const p = pool(1);
      const seen = await run(function* () {
        const op = p.run(JOBS, "later", 30, 1);
        const h = spawn(() => op);
        yield* sleep(10);
        const d = words(op);
        yield* h;
        return { d, label: p.label };
      });
      expect(seen.d).to.equal(`spawnBlocking later() from jobs.js, running on ${seen.label} worker 1`);
    });

    it("an idle pool does not keep the process alive", async function () {
      this.timeout(60_000);
      const script = `
        const { run } = require(${JSON.stringify(join(__dirname, "../../lib/index"))});
        const { spawnBlocking } = require(${JSON.stringify(join(__dirname, "../../lib/node/index"))});
        run(() => spawnBlocking(${JSON.stringify(JOBS)}, "add", 40, 2)).then((v) => console.log("got", v));`;
      const r = await new Promise<{ error: Error | null; stdout: string }>((resolve) => {
        execFile(process.execPath, ["-r", join(__dirname, "../../scripts/register.js"), "-e", script], { encoding: "utf8", timeout: 50_000, cwd: join(__dirname, "../..") }, (error, stdout) =>
          resolve({ error, stdout }),
        );
      });
      expect(r.error, "the process did not exit by itself").to.equal(null);
      expect(r.stdout.trim()).to.equal("got 42");
    });

    it("close() fails queued and running jobs, and refuses later ones", async () => {
      const p = new BlockingPool({ size: 1 });
      const out = await run(function* () {
        const running = spawn(() => p.run(JOBS, "later", 200, 1));
        const queued = spawn(() => p.run(JOBS, "add", 1, 1));
        yield* sleep(30);
        void p.close();
        const messages: string[] = [];
        for (const h of [running, queued]) {
          try {
            yield* h;
          } catch (error) {
            messages.push((error as Error).message);
          }
        }
        return messages;
      });
      expect(out[0]).to.match(/was closed while later\(\) ran/);
      expect(out[1]).to.match(/was closed before add\(\) could start/);
      const later = (await rejection(run(() => p.run(JOBS, "add", 1, 1)))) as Error;
      expect(later.message).to.match(/is closed: add\(\) cannot run/);
    });
  });

  describe("bad input", () => {
    it("refuses a relative module path, saying how to make it absolute", () => {
      const e = thrown(() => spawnBlocking("./jobs.js", "add")) as Error;
      expect(e).to.be.instanceOf(TypeError);
      expect(e.message).to.include('relative "./jobs.js"');
    });
    it("refuses an empty export name and a non-file URL", () => {
      expect((thrown(() => spawnBlocking(JOBS, "")) as Error).message).to.include("name of the function");
      expect((thrown(() => spawnBlocking(new URL("https://example.com/x.js"), "f")) as Error).message).to.include("file: URL");
    });
    it("refuses a pool of size 0 and a negative grace", () => {
      expect((thrown(() => new BlockingPool({ size: 0 })) as Error).message).to.include("size ≥ 1");
      expect((thrown(() => new BlockingPool({ cancelGraceMs: -1 })) as Error).message).to.include("cancelGraceMs");
    });
  });
});

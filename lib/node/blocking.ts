// spawnBlocking: run CPU-heavy or blocking JavaScript on a pool of worker threads, as a
// future. Jobs wait FIFO for a free worker; arguments and results cross by structured clone.
// Invariants: a job runs at most once and its waiting future gets exactly one outcome; a worker
// is referenced (keeps the process alive) only while it runs a job someone still waits for; a
// cancelled job never leaves a worker stuck: it is discarded, or terminated after a grace.

import { availableParallelism } from "node:os";
import { isAbsolute } from "node:path";
import { Worker } from "node:worker_threads";
import { Poll, describeValue, type Op } from "../poll";
import { RingQueue } from "../queue";
import type { Context } from "../waker";
import { WORKER_SOURCE, unpack, type Reply } from "./blocking-worker";
import { HostOp } from "./outside";

/** Options of a {@link BlockingPool}. @public */
export interface BlockingPoolOptions {
  /** Most worker threads (each started on demand). Default `os.availableParallelism()`. */
  size?: number;
  /**
   * How long a worker may go on with a job whose task was cancelled before it is terminated
   * (ms, default 1000). JavaScript cannot interrupt a running function safely, so the job is
   * first left to finish (its result is discarded and the worker serves the next job); one
   * still running after the grace is stopped with `worker.terminate()` and replaced.
   */
  cancelGraceMs?: number;
}

const QUEUED = 0;
const RUNNING = 1;
const SETTLED = 2;

interface Job {
  readonly id: number;
  readonly module: string;
  readonly exportName: string;
  readonly args: unknown[];
  state: number;
  /** The future waiting for the outcome; undefined once it was dropped (the job is abandoned). */
  waiter: BlockingOp<unknown> | undefined;
  slot: Slot | undefined;
}

/** One worker thread and the job it runs. */
interface Slot {
  readonly n: number;
  readonly worker: Worker;
  job: Job | undefined;
  /** Set while a job of a cancelled task runs past its grace period. */
  graceTimer: ReturnType<typeof setTimeout> | undefined;
  /** True once we terminate it (its exit is expected). */
  terminating: boolean;
}

let poolIds = 1;

/**
 * A pool of worker threads for blocking work. Most programs use the shared one through
 * {@link spawnBlocking}; make your own to choose its size or to close it.
 *
 * ```ts
 * const pool = new BlockingPool({ size: 2 });
 * const digest = yield* pool.run(new URL("./hash.js", import.meta.url), "sha256", bytes);
 * await pool.close();
 * ```
 * @public
 */
export class BlockingPool {
  /** Most worker threads this pool starts. */
  readonly size: number;
  /** How long a cancelled job may keep running before its worker is terminated (ms). */
  readonly cancelGraceMs: number;
  private readonly slots: Slot[] = [];
  private readonly queue = new RingQueue<Job>();
  private nextJob = 1;
  private nextWorker = 1;
  private closedNow = false;
  /** `blocking pool#1`, as descriptions name it. */
  readonly label: string;

  constructor(options: BlockingPoolOptions = {}) {
    if (options === null || typeof options !== "object") throw new TypeError(`BlockingPool options must be an object, not ${describeValue(options)}`);
    const size = options.size ?? availableParallelism();
    if (typeof size !== "number" || !Number.isInteger(size) || size < 1) throw new RangeError(`a BlockingPool needs a size ≥ 1 (whole workers), not ${describeValue(size)}`);
    const grace = options.cancelGraceMs ?? 1000;
    if (typeof grace !== "number" || !(grace >= 0) || !Number.isFinite(grace)) throw new RangeError(`cancelGraceMs must be a finite number of ms ≥ 0, not ${describeValue(grace)}`);
    this.size = size;
    this.cancelGraceMs = grace;
    this.label = `blocking pool#${poolIds++}`;
  }

  /**
   * A future of `module[exportName](...args)` run on a worker thread: its value (awaited if
   * it is a promise), or its error thrown at the yield. `module` is an absolute path, a
   * `file:` URL, or a package name resolved from the working directory; the export may be
   * sync or async. The job is queued at the first poll, not before.
   */
  run<T = unknown>(module: string | URL, exportName: string, ...args: unknown[]): Op<T> {
    return new BlockingOp<T>(this, checkModule(module), checkExport(exportName), args);
  }

  /** Workers started and alive now. */
  get workers(): number {
    return this.slots.length;
  }

  /** Jobs running now (abandoned ones included, until they end). */
  get busy(): number {
    let n = 0;
    for (const s of this.slots) if (s.job !== undefined) n++;
    return n;
  }

  /** Jobs waiting for a free worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.closedNow;
  }

  /**
   * Stop every worker (idempotent). Jobs still queued or running fail with an Error saying the
   * pool closed; later `run()`s throw. Resolves once the threads have exited.
   */
  async close(): Promise<void> {
    this.closedNow = true;
    for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) this.settle(job, false, new Error(`${this.label} was closed before ${job.exportName}() could start`));
    const exits: Promise<unknown>[] = [];
    for (const slot of [...this.slots]) {
      const job = slot.job;
      if (job !== undefined) this.settle(job, false, new Error(`${this.label} was closed while ${job.exportName}() ran`));
      exits.push(this.terminate(slot));
    }
    await Promise.all(exits);
  }

  /** `BlockingPool(blocking pool#1, size 2)`. */
  toString(): string {
    return `BlockingPool(${this.label}, size ${this.size})`;
  }

  // ── Jobs ─────────────────────────────────────────────────────────────────────────────

  /** @internal Queue a job for `op`; it starts now if a worker is free or may be started. */
  submit(op: BlockingOp<unknown>, module: string, exportName: string, args: unknown[]): Job {
    if (this.closedNow) throw new Error(`${this.label} is closed: ${exportName}() cannot run`);
    const job: Job = { id: this.nextJob++, module, exportName, args, state: QUEUED, waiter: op, slot: undefined };
    this.queue.push(job);
    this.dispatch();
    return job;
  }

  /** @internal The waiting task was cancelled: a queued job never runs; a running one is discarded, then terminated after the grace. */
  abandon(job: Job): void {
    job.waiter = undefined;
    if (job.state === QUEUED) {
      this.queue.remove(job);
      job.state = SETTLED;
      return;
    }
    const slot = job.slot;
    if (job.state !== RUNNING || slot === undefined) return;
    slot.worker.unref(); // nobody waits for it: it must not hold the process open
    if (slot.graceTimer === undefined) {
      slot.graceTimer = setTimeout(() => {
        slot.graceTimer = undefined;
        if (slot.job === job) void this.terminate(slot);
      }, this.cancelGraceMs);
      slot.graceTimer.unref?.();
    }
  }

  /** @internal Where the job is, in words. */
  whereIs(job: Job): string {
    if (job.state === QUEUED) {
      let ahead = 0;
      for (let i = 0; i < this.queue.length; i++) {
        if (this.queue.at(i) === job) break;
        ahead++;
      }
      return `queued on ${this.label}${ahead > 0 ? ` (${ahead} ahead)` : ""}`;
    }
    if (job.state === RUNNING && job.slot !== undefined) return `running on ${this.label} worker ${job.slot.n}`;
    return "finished";
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === undefined && !s.terminating);
      if (slot === undefined) {
        if (this.slots.length >= this.size) return;
        slot = this.startWorker();
      }
      const job = this.queue.shift() as Job;
      this.start(slot, job);
    }
  }

  private start(slot: Slot, job: Job): void {
    job.state = RUNNING;
    job.slot = slot;
    slot.job = job;
    try {
      slot.worker.postMessage({ id: job.id, module: job.module, exportName: job.exportName, args: job.args });
    } catch (error) {
      // The arguments cannot be cloned: the job fails before it starts and the worker stays free.
      slot.job = undefined;
      this.settle(job, false, new TypeError(`the arguments of ${job.exportName}() cannot be sent to a worker: ${(error as Error).message}`));
      return;
    }
    slot.worker.ref(); // a job someone waits for keeps the process alive
  }

  private startWorker(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, name: `wakeful blocking ${this.nextWorker}` });
    const slot: Slot = { n: this.nextWorker++, worker, job: undefined, graceTimer: undefined, terminating: false };
    worker.unref(); // idle workers never keep the process alive
    worker.on("message", (reply: Reply) => this.onReply(slot, reply));
    worker.on("messageerror", (error: Error) => this.onUnreadableReply(slot, error));
    worker.on("error", (error: Error) => this.onWorkerGone(slot, error));
    worker.on("exit", (code: number) => this.onWorkerGone(slot, new Error(`${this.label} worker ${slot.n} exited with code ${code} while ${slot.job?.exportName ?? "a job"}() ran`)));
    this.slots.push(slot);
    return slot;
  }

  private onReply(slot: Slot, reply: Reply): void {
    const job = slot.job;
    if (job === undefined || job.id !== reply.id) return; // a late reply of a job already settled
    slot.job = undefined;
    if (slot.graceTimer !== undefined) {
      clearTimeout(slot.graceTimer);
      slot.graceTimer = undefined;
    }
    slot.worker.unref();
    if (reply.ok) this.settle(job, true, reply.value);
    else this.settle(job, false, unpack(reply.error ?? {}));
    if (!this.closedNow) this.dispatch();
  }

  /** A reply that could not be deserialized here: its job fails with that error; the worker is fine and serves the next. */
  private onUnreadableReply(slot: Slot, error: Error): void {
    const job = slot.job;
    if (job === undefined) return;
    slot.job = undefined;
    slot.worker.unref();
    this.settle(job, false, new Error(`the reply of ${job.exportName}() could not be read: ${error.message}`));
    if (!this.closedNow) this.dispatch();
  }

  /** A worker died (an uncaught error, process.exit in a job, terminate): fail its job, forget it, start another for the queue. */
  private onWorkerGone(slot: Slot, error: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return; // "error" then "exit": handled once
    this.slots.splice(i, 1);
    if (slot.graceTimer !== undefined) {
      clearTimeout(slot.graceTimer);
      slot.graceTimer = undefined;
    }
    const job = slot.job;
    slot.job = undefined;
    if (job !== undefined) this.settle(job, false, error); // an abandoned job has no waiter: nothing to tell
    if (!this.closedNow) this.dispatch();
  }

  private terminate(slot: Slot): Promise<unknown> {
    slot.terminating = true;
    return slot.worker.terminate();
  }

  private settle(job: Job, ok: boolean, outcome: unknown): void {
    if (job.state === SETTLED) return;
    job.state = SETTLED;
    job.slot = undefined;
    const waiter = job.waiter;
    job.waiter = undefined;
    if (waiter !== undefined) waiter.settled(ok, outcome);
  }
}

/** The future of one blocking job. */
class BlockingOp<T> extends HostOp<T> {
  private job: Job | undefined = undefined;
  private done = false;
  private ok = false;
  private outcome: unknown = undefined;

  constructor(
    private readonly pool: BlockingPool,
    private readonly module: string,
    private readonly exportName: string,
    private args: unknown[] | undefined,
  ) {
    super();
  }

  poll(cx: Context): Poll<T> {
    if (this.hasOutcome) return this.serve(cx.waker);
    if (this.job === undefined && !this.done) {
      const args = this.args as unknown[];
      this.args = undefined;
      this.job = this.pool.submit(this as BlockingOp<unknown>, this.module, this.exportName, args);
    }
    if (this.done) {
      this.release();
      return this.ok ? this.decide(cx.waker, Poll.ready(this.outcome as T)) : this.decide(cx.waker, undefined, this.outcome);
    }
    this.park(cx);
    return Poll.pending;
  }

  /** @internal The pool's answer. */
  settled(ok: boolean, outcome: unknown): void {
    this.done = true;
    this.ok = ok;
    this.outcome = outcome;
    this.wakeFromHost();
  }

  /** Every waiter left before the outcome: a job still queued or running is abandoned. */
  protected override undo(): void {
    this.release();
    if (this.job !== undefined && !this.done) this.pool.abandon(this.job);
  }

  describe(): string {
    const what = `spawnBlocking ${this.exportName}() from ${shortModule(this.module)}`;
    return this.job === undefined ? what : `${what}, ${this.pool.whereIs(this.job)}`;
  }
}

function shortModule(module: string): string {
  const i = Math.max(module.lastIndexOf("/"), module.lastIndexOf("\\"));
  return i >= 0 ? module.slice(i + 1) : module;
}

function checkModule(module: unknown): string {
  if (module instanceof URL) {
    if (module.protocol !== "file:") throw new TypeError(`spawnBlocking() loads modules from files: a file: URL, not ${module.href}`);
    return module.href;
  }
  if (typeof module !== "string" || module.length === 0) throw new TypeError(`spawnBlocking() needs a module (an absolute path, a file: URL or a package name), not ${describeValue(module)}`);
  if (module.startsWith(".") && !isAbsolute(module)) {
    throw new TypeError(`spawnBlocking() needs an absolute module path, not the relative ${JSON.stringify(module)} (relative to what? use path.join(__dirname, …) or new URL("./jobs.js", import.meta.url))`);
  }
  return module;
}

function checkExport(exportName: unknown): string {
  if (typeof exportName !== "string" || exportName.length === 0) throw new TypeError(`spawnBlocking() needs the name of the function to call (a string), not ${describeValue(exportName)}`);
  return exportName;
}

let shared: BlockingPool | undefined;

/** The pool {@link spawnBlocking} uses, made on first use (size `os.availableParallelism()`). @public */
export function blockingPool(): BlockingPool {
  if (shared === undefined || shared.closed) shared = new BlockingPool();
  return shared;
}

/**
 * Run `module[exportName](...args)` on a worker thread of the shared pool, as a future of its
 * value. For CPU-heavy or blocking work that would otherwise stall every task of the runtime.
 *
 * ```ts
 * // jobs.js: exports.fib = (n) => (n < 2 ? n : exports.fib(n - 1) + exports.fib(n - 2));
 * const f = yield* spawnBlocking(path.join(__dirname, "jobs.js"), "fib", 35);
 * ```
 *
 * Arguments and the result cross threads by structured clone (no functions, no class
 * identity); an error is rebuilt with its name, message, stack and own data. While the job
 * runs it counts as outside work, and the worker keeps the process alive; idle workers do not.
 *
 * **Cancellation.** A queued job whose task is cancelled never runs. A running one cannot be
 * interrupted safely: its result is discarded when it comes, and the worker serves the next
 * job; if it is still running after the pool's `cancelGraceMs` (default 1 s) the worker is
 * terminated and a fresh one replaces it on demand.
 * @public
 */
export function spawnBlocking<T = unknown>(module: string | URL, exportName: string, ...args: unknown[]): Op<T> {
  return blockingPool().run<T>(module, exportName, ...args);
}

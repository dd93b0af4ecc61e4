// Properties of wakeful/node under arbitrary cancellation patterns: nothing already on its way
// is lost by a cancelled wait — bytes of a socket, values of an async iterable, outcomes of
// blocking jobs — and every outside-work count is given back.

import { join } from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import { current, race, run, spawn, yieldNow, sleep } from "../../lib/index";
import { BlockingPool, TcpListener, TcpStream, fromAsyncIterable } from "../../lib/node/index";

const JOBS = join(__dirname, "fixtures", "jobs.js");

describe("wakeful/node properties", function () {
  this.timeout(60_000);

  it("a socket's bytes all arrive, in order, however many reads are cancelled on the way", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
        async (chunks, cancelPattern) => {
          const out = await run(function* () {
            const listener = yield* TcpListener.bind(0);
            const client = yield* TcpStream.connect(listener.port);
            const conn = yield* listener.accept();
            let sent = 0;
            const writer = spawn(function* () {
              for (const [i, n] of chunks.entries()) {
                const bytes = new Uint8Array(n);
                for (let k = 0; k < n; k++) bytes[k] = (sent + k) % 251;
                sent += n;
                yield* conn.write(bytes);
                if (i % 2 === 0) yield* sleep(0);
              }
              conn.close();
            });
            const received: number[] = [];
            let cancelled = 0;
            for (let i = 0; i < 100_000; i++) {
              const cancelThisOne = cancelPattern[i % cancelPattern.length] === true;
              const chunk = cancelThisOne ? yield* race(client.read(), yieldNow()) : yield* client.read();
              if (chunk === undefined) {
                if (!cancelThisOne) break; // end of stream
                cancelled++;
                continue; // the yieldNow won (or the stream ended: the next plain read says)
              }
              for (const b of chunk) received.push(b);
            }
            yield* writer;
            const pending = current().metrics.pendingExternal;
            client.close();
            listener.close();
            return { received, sent, pending, cancelled };
          });
          expect(out.received.length).to.equal(out.sent);
          for (let k = 0; k < out.received.length; k++) if (out.received[k] !== k % 251) expect.fail(`byte ${k} is ${out.received[k]}, expected ${k % 251}`);
          expect(out.pending).to.equal(0);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("an async iterable's values all arrive, in order, however many recvs are cancelled", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom("now", "microtask", "macrotask"), { maxLength: 15 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }), async (delays, cancelPattern) => {
        async function* source() {
          for (const [i, d] of delays.entries()) {
            if (d === "microtask") await Promise.resolve();
            else if (d === "macrotask") await new Promise((r) => setImmediate(r));
            yield i;
          }
        }
        const got = await run(function* () {
          const src = fromAsyncIterable(source());
          const values: number[] = [];
          // Bounded by the values, not by a few thousand turns: a recv that always loses to
          // yieldNow() sees a value only after the driver lets the host run (once per time slice,
          // every few thousand turns), so a fixed small bound ended this loop early on a slow machine.
          for (let i = 0; values.length < delays.length && i < 1_000_000; i++) {
            const cancelThisOne = cancelPattern[i % cancelPattern.length] === true;
            if (cancelThisOne) {
              const r = yield* race(src.recv(), yieldNow());
              if (r !== undefined) values.push(r);
              continue;
            }
            const v = yield* src.recv();
            if (v === undefined) break;
            values.push(v);
          }
          return { values, pending: current().metrics.pendingExternal };
        });
        expect(got.values).to.deep.equal(delays.map((_, i) => i));
        expect(got.pending).to.equal(0);
      }),
      { numRuns: 60 },
    );
  });

  it("blocking jobs: each one not cancelled gets its own result, and the pool ends idle", async () => {
    const pool = new BlockingPool({ size: 2, cancelGraceMs: 2_000 });
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.record({ a: fc.integer({ min: 0, max: 1000 }), cancelAfter: fc.option(fc.constantFrom(0, 1, 5), { nil: undefined }) }), { minLength: 1, maxLength: 6 }), async (jobs) => {
          const out = await run(function* () {
            const handles = jobs.map((j) => spawn(() => pool.run<number>(JOBS, "add", j.a, 1)));
            const cancels = jobs.map((j, i) =>
              j.cancelAfter === undefined
                ? undefined
                : spawn(function* () {
                    yield* sleep(j.cancelAfter as number);
                    (handles[i] as (typeof handles)[number]).abort();
                  }),
            );
            const results: (number | "cancelled")[] = [];
            for (const h of handles) {
              try {
                results.push(yield* h);
              } catch (error) {
                if ((error as Error).name !== "CancelledError") throw error;
                results.push("cancelled");
              }
            }
            for (const c of cancels) if (c !== undefined) yield* c;
            return { results, pending: current().metrics.pendingExternal };
          });
          out.results.forEach((r, i) => {
            const j = jobs[i] as { a: number; cancelAfter: number | undefined };
            if (r === "cancelled") expect(j.cancelAfter, `job ${i} was cancelled without being asked`).to.not.equal(undefined);
            else expect(r).to.equal(j.a + 1);
          });
          expect(out.pending).to.equal(0);
          expect(pool.queued).to.equal(0);
        }),
        { numRuns: 12 },
      );
    } finally {
      await pool.close();
    }
  });
});

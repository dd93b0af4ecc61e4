// Issue 9, case 8. Outside a task, `await fut` on a wakeful future drives the future on a fresh
// runtime of its own (real clock) and resolves with its value; `await handle` of a task whose
// runtime is never run rejects with an error saying so. Futures and errors are recognised across
// two copies of the package loaded in one process (an ESM and a CJS copy, or two bundles): a
// future of one copy can be yielded in a task of the other, and `instanceof TimeoutError` holds
// for an error made by either copy.
//
// How it failed before Core v2: `await sleep(200)` resolved after 0 ms with the Sleep object
// itself; `await rt.spawn(t)` without `rt.run()` let the process exit silently with code 0; a
// second copy's futures were rejected ("must be polled by a wakeful task") and `instanceof
// TimeoutError` was false across copies.

import { expect } from "chai";
import { buildSync } from "esbuild";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as A from "../../../lib/index";
import { runFixture } from "./helpers";

/**
 * A second, independent copy of lib/: the same files loaded again as new module instances, as
 * when a process holds both the ESM and the CJS build. The first copy's cache entries are put
 * back afterwards, so other specs keep the copy they imported.
 */
function secondCopy(): typeof A {
  const libDir = join(__dirname, "../../../lib");
  const saved = new Map<string, NodeModule>();
  for (const [key, mod] of Object.entries(require.cache)) {
    if (key.startsWith(libDir) && mod !== undefined) {
      saved.set(key, mod);
      delete require.cache[key];
    }
  }
  try {
    const B = require(join(libDir, "index")) as typeof A;
    expect(B.TimeoutError, "a second copy was loaded").to.not.equal(A.TimeoutError);
    return B;
  } finally {
    for (const key of Object.keys(require.cache)) if (key.startsWith(libDir)) delete require.cache[key];
    for (const [key, mod] of saved) require.cache[key] = mod;
  }
}

describe("Core v2 · case 8: awaiting a wakeful future from async code drives it", () => {
  describe("await on a future outside a task", () => {
    it("waits for `await sleep(200)` and resolves with undefined, not the Sleep object", async () => {
      const started = performance.now();
      const value: unknown = await A.sleep(200);
      expect(value).to.equal(undefined); // before: the Sleep object, after 0 ms
      expect(performance.now() - started, "it waited for the sleep").to.be.at.least(195);
    });

    it("resolves with the future's value: fromPromise, race and a channel's recv", async () => {
      expect(await A.fromPromise(Promise.resolve(5))).to.equal(5);
      expect(await A.race(A.sleep(50), A.ready("first"))).to.equal("first");
      const [tx, rx] = A.channel<string>();
      tx.trySend("message");
      expect(await rx.recv()).to.equal("message");
    });

    it("rejects with the future's error: a timeout", async () => {
      let error: unknown;
      try {
        await A.timeout(10, A.pending());
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(A.TimeoutError);
    });
  });

  it("rejects `await rt.spawn(t)` of a runtime that is never run, instead of exiting silently", async () => {
    const exit = await runFixture("spawn-without-run.ts");
    expect(exit.signal, "the process hung").to.equal(null);
    expect(exit.stdout).to.not.match(/resolved/);
    expect(exit.stdout).to.match(/never run/i); // the error says the runtime was never run
    expect(exit.code, "no silent exit with code 0").to.not.equal(0);
  });

  describe("two copies of the package in one process", () => {
    it("runs a second copy's futures in a task of the first", async () => {
      const B = secondCopy();
      const value = await A.run(function* () {
        yield* B.sleep(1);
        const [tx, rx] = B.channel<number>();
        tx.trySend(41);
        const got = yield* rx.recv();
        return (got ?? 0) + (yield* B.ready(1));
      });
      expect(value).to.equal(42);
    });

    it("recognises a TimeoutError made by either copy with instanceof", async () => {
      const B = secondCopy();
      let error: unknown;
      try {
        await A.run(() => B.timeout(5, A.pending()));
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(B.TimeoutError);
      expect(error, "instanceof across copies").to.be.instanceOf(A.TimeoutError);
      expect(new A.CancelledError()).to.be.instanceOf(B.CancelledError);
      expect(new B.DeadlockError([], 0)).to.be.instanceOf(A.DeadlockError);
      expect(new A.ChannelClosedError()).to.be.instanceOf(B.ChannelClosedError);
      expect(new A.TimeoutError(1)).to.not.be.instanceOf(B.CancelledError); // a brand per class, not one for all
    });

    it("works with an ES module bundle and a CommonJS bundle loaded in one process", async function () {
      this.timeout(60_000);
      const dir = mkdtempSync(join(tmpdir(), "wakeful-two-copies-"));
      try {
        for (const format of ["esm", "cjs"] as const) {
          buildSync({
            entryPoints: [join(__dirname, "../../../lib/index.ts")],
            bundle: true,
            format,
            platform: "neutral",
            target: "es2022",
            outfile: join(dir, format === "esm" ? "wakeful.mjs" : "wakeful.cjs"),
            logLevel: "silent",
          });
        }
        const stdout = await new Promise<string>((resolve, reject) =>
          execFile(process.execPath, [join(__dirname, "fixtures/two-copies.mjs"), dir], { encoding: "utf8", timeout: 30_000 }, (error, out, err) =>
            error === null ? resolve(out) : reject(new Error(`the fixture failed: ${err || error.message}`)),
          ),
        );
        expect(JSON.parse(stdout)).to.deep.equal({
          distinct: true,
          cjsFuturesInEsmTask: 42,
          esmFuturesInCjsTask: "esm",
          timeoutAcrossCopies: { esm: true, cjs: true },
          awaitOtherCopysFuture: "undefined",
          errorsAcross: [true, true, true, true],
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("joins a handle of one copy's runtime from a task of the other", async () => {
      const B = secondCopy();
      const rt = new B.Runtime({ clock: "virtual" });
      const h = rt.spawn(function* () {
        yield* B.sleep(1);
        return "from B";
      });
      rt.runSync();
      expect(await A.run(function* () {
        return yield* h;
      })).to.equal("from B");
    });
  });
});

// Async iteration both ways: a wakeful receiver read with `for await`, an async iterable read
// with `recv()` inside a task; and a JoinHandle awaited as a Promise.

import { Readable } from "node:stream";
import { expect } from "chai";
import { ChannelClosedError, Runtime, channel, race, run, sleep, spawn } from "../../lib/index";
import { asyncIterable, fromAsyncIterable } from "../../lib/node/index";
import { rejection, thrown, words } from "./helpers";

describe("wakeful/node async iterables", () => {
  describe("asyncIterable(receiver)", () => {
    it("reads every message of a channel with for await, in order, until the senders close", async () => {
      const rt = new Runtime();
      const [tx, rx] = channel<number>(2);
      rt.spawn(function* () {
        for (let i = 1; i <= 5; i++) {
          yield* tx.send(i);
          if (i % 2 === 0) yield* sleep(1);
        }
        tx.close();
      });
      const running = rt.run();
      const got: number[] = [];
      for await (const m of asyncIterable(rx)) got.push(m);
      await running;
      expect(got).to.deep.equal([1, 2, 3, 4, 5]);
    });

    it("leaving the loop early takes no message, and leaves the receiver open unless asked", async () => {
      const rt = new Runtime();
      const [tx, rx] = channel<string>();
      tx.trySend("a");
      tx.trySend("b");
      for await (const m of asyncIterable(rx)) {
        expect(m).to.equal("a");
        break;
      }
      expect(rx.closed).to.equal(false);
      expect(rx.tryRecv()).to.equal("b");
      const it = asyncIterable(rx, { closeOnReturn: true });
      const waiting = it.next(); // nothing buffered: this recv waits
      await it.return?.();
      expect(await waiting).to.deep.equal({ done: true, value: undefined });
      expect(rx.closed).to.equal(true);
      expect(() => tx.trySend("c")).to.throw(ChannelClosedError);
      await rt.run();
    });

    it("serves overlapping next() calls one after another", async () => {
      const [tx, rx] = channel<number>();
      const it = asyncIterable(rx);
      const a = it.next();
      const b = it.next();
      tx.trySend(1);
      tx.trySend(2);
      tx.close();
      expect([await a, await b, await it.next()]).to.deep.equal([
        { done: false, value: 1 },
        { done: false, value: 2 },
        { done: true, value: undefined },
      ]);
    });

    it("refuses something without recv()", () => {
      expect((thrown(() => asyncIterable({} as never)) as Error).message).to.include("recv()");
    });
  });

  describe("fromAsyncIterable(iterable)", () => {
    it("receives each value of an async generator in a task, then undefined", async () => {
      async function* numbers() {
        for (let i = 0; i < 3; i++) {
          await new Promise((r) => setTimeout(r, 1));
          yield i;
        }
      }
      const got = await run(function* () {
        const src = fromAsyncIterable(numbers());
        const out: (number | undefined)[] = [];
        for (let i = 0; i < 4; i++) out.push(yield* src.recv());
        return out;
      });
      expect(got).to.deep.equal([0, 1, 2, undefined]);
    });

    it("reads a Node Readable stream chunk by chunk", async () => {
      const got = await run(function* () {
        const src = fromAsyncIterable<string>(Readable.from(["x", "y", "z"]));
        let s = "";
        yield* src.forEach((chunk) => void (s += chunk));
        return s;
      });
      expect(got).to.equal("xyz");
    });

    it("a recv cancelled while the value is on its way loses nothing: the next recv gets it", async () => {
      let release: (() => void) | undefined;
      async function* slow() {
        await new Promise<void>((r) => (release = r));
        yield "precious";
      }
      const got = await run(function* () {
        const src = fromAsyncIterable(slow());
        const first = yield* race(src.recv(), sleep(5)); // the timer wins: the recv is dropped
        release?.();
        yield* sleep(5); // the value arrives while nobody waits
        const second = yield* src.recv();
        return { first, second, end: yield* src.recv() };
      });
      expect(got).to.deep.equal({ first: undefined, second: "precious", end: undefined });
    });

    it("throws the iterable's error at the recv that meets it, and at every later one", async () => {
      async function* broken() {
        yield 1;
        throw new Error("source failed");
      }
      const got = await run(function* () {
        const src = fromAsyncIterable(broken());
        const out: string[] = [String(yield* src.recv())];
        for (let i = 0; i < 2; i++) {
          try {
            yield* src.recv();
          } catch (error) {
            out.push((error as Error).message);
          }
        }
        return out;
      });
      expect(got).to.deep.equal(["1", "source failed", "source failed"]);
    });

    it("close() runs the generator's finally block and ends the stream", async () => {
      const log: string[] = [];
      async function* resource() {
        try {
          for (let i = 0; ; i++) yield i;
        } finally {
          log.push("released");
        }
      }
      const got = await run(function* () {
        const src = fromAsyncIterable(resource());
        const first = yield* src.recv();
        yield* src.close();
        return { first, after: yield* src.recv() };
      });
      expect(got).to.deep.equal({ first: 0, after: undefined });
      expect(log).to.deep.equal(["released"]);
    });

    it("round-trips: a channel read as an async iterable, read back with recv()", async () => {
      const got = await run(function* () {
        const [tx, rx] = channel<number>();
        spawn(function* () {
          for (let i = 0; i < 3; i++) yield* tx.send(i * 10);
          tx.close();
        });
        const back = fromAsyncIterable(asyncIterable(rx));
        const out: number[] = [];
        for (let v; (v = yield* back.recv()) !== undefined; ) out.push(v);
        return out;
      });
      expect(got).to.deep.equal([0, 10, 20]);
    });

    it("describes its recv, and refuses something that is not async iterable", () => {
      const src = fromAsyncIterable(Readable.from([]));
      expect(words(src.recv())).to.match(/^recv on async iterable#\d+ \(Readable\)$/);
      expect((thrown(() => fromAsyncIterable([1, 2] as never)) as Error).message).to.include("async iterable");
    });
  });

  describe("a JoinHandle is a Promise for async callers", () => {
    it("await gives the value, and a failure rejects", async () => {
      const rt = new Runtime();
      const ok = rt.spawn(function* () {
        yield* sleep(1);
        return "value";
      });
      const bad = rt.spawn(function* () {
        yield* sleep(1);
        throw new Error("failed task");
      });
      const failure = rejection(bad); // joined before it fails: its error is ours, not run()'s
      const running = rt.run();
      expect(await ok).to.equal("value");
      expect(((await failure) as Error).message).to.equal("failed task");
      await running;
    });
  });
});

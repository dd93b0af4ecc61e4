// TcpListener and TcpStream on real sockets (127.0.0.1, ephemeral ports): data, end of stream,
// back-pressure, errors at the yield, cancel safety, outside-work counting and descriptions.

import * as net from "node:net";
import { expect } from "chai";
import { DeadlockError, Runtime, TimeoutError, current, race, run, sleep, spawn, timeout } from "../../lib/index";
import { TcpListener, TcpStream } from "../../lib/node/index";
import { readAll, readBytes, rejection, text, thrown, words } from "./helpers";

describe("wakeful/node TCP", () => {
  describe("a round trip", () => {
    it("binds an ephemeral port on 127.0.0.1 and echoes what a client writes", async () => {
      const reply = await run(function* () {
        const listener = yield* TcpListener.bind(0);
        expect(listener.port).to.be.greaterThan(0);
        expect(listener.address()).to.deep.include({ address: "127.0.0.1", port: listener.port, family: "IPv4" });
        const server = spawn(function* () {
          const conn = yield* listener.accept();
          for (let chunk; (chunk = yield* conn.read()) !== undefined; ) yield* conn.write(chunk);
          conn.close();
        });
        const client = yield* TcpStream.connect(listener.port);
        expect(client.remotePort).to.equal(listener.port);
        yield* client.write("hello, ");
        yield* client.write(new TextEncoder().encode("world"));
        const got = yield* readBytes(client, 12);
        client.close();
        yield* server;
        listener.close();
        return text(got);
      });
      expect(reply).to.equal("hello, world");
    });

    it("reads undefined at end of stream, after every byte the peer sent", async () => {
      const got = await run(function* () {
        const listener = yield* TcpListener.bind(0);
        const server = spawn(function* () {
          const conn = yield* listener.accept();
          yield* conn.write("last words");
          conn.close();
        });
        const client = yield* TcpStream.connect(listener.port);
        const all = yield* readAll(client);
        const after = yield* client.read();
        client.close();
        yield* server;
        listener.close();
        return [all, after];
      });
      expect(got).to.deep.equal(["last words", undefined]);
    });

    it("serves several clients from one accept loop, each in its own task", async () => {
      const replies = await run(function* () {
        const listener = yield* TcpListener.bind(0);
        const server = spawn(function* () {
          for (let i = 0; i < 3; i++) {
            const conn = yield* listener.accept();
            spawn(function* () {
              const name = text(yield* conn.read());
              yield* conn.write(`hi ${name}`);
              conn.close();
            });
          }
        });
        const clients = [];
        for (const name of ["a", "b", "c"]) {
          clients.push(
            spawn(function* () {
              const s = yield* TcpStream.connect(listener.port);
              yield* s.write(name);
              const r = yield* readAll(s);
              s.close();
              return r;
            }),
          );
        }
        const out: string[] = [];
        for (const c of clients) out.push(yield* c);
        yield* server;
        listener.close();
        return out;
      });
      expect(replies).to.deep.equal(["hi a", "hi b", "hi c"]);
    });
  });

  describe("using", () => {
    it("closes a listener and a stream bound with `using` when their block ends, even by a throw", async () => {
      const out = await run(function* () {
        let listener: TcpListener | undefined;
        let conn: TcpStream | undefined;
        try {
          using l = yield* TcpListener.bind(0);
          listener = l;
          using c = yield* TcpStream.connect(l.port);
          conn = c;
          throw new Error("leave the block");
        } catch (error) {
          return { message: (error as Error).message, listenerClosed: listener?.closed, streamClosed: conn?.closed };
        }
      });
      expect(out).to.deep.equal({ message: "leave the block", listenerClosed: true, streamClosed: true });
    });
  });

  describe("back-pressure", () => {
    it("a write waits for the drain while the peer does not read, and every byte arrives", async function () {
      this.timeout(20_000);
      const size = 16 * 1024 * 1024;
      const result = await run(function* () {
        const listener = yield* TcpListener.bind(0);
        const client = yield* TcpStream.connect(listener.port);
        const conn = yield* listener.accept();
        const big = new Uint8Array(size).fill(7);
        const writer = spawn(function* () {
          yield* conn.write(big);
          return "written";
        });
        yield* sleep(50); // the peer reads nothing yet: the socket's buffer is full
        const waitingBeforeRead = !writer.finished;
        const got = yield* readBytes(client, size);
        const status = yield* writer;
        conn.close();
        client.close();
        listener.close();
        return { waitingBeforeRead, status, length: got.length, allSevens: got.every((b) => b === 7) };
      });
      expect(result).to.deep.equal({ waitingBeforeRead: true, status: "written", length: size, allSevens: true });
    });
  });

  describe("errors are thrown at the yield", () => {
    it("a refused connection throws ECONNREFUSED", async () => {
      const port = await freePort();
      const error = await rejection(run(() => TcpStream.connect(port)));
      expect(error).to.be.instanceOf(Error);
      expect((error as NodeJS.ErrnoException).code).to.equal("ECONNREFUSED");
    });

    it("binding a port in use throws EADDRINUSE", async () => {
      const error = await rejection(
        run(function* () {
          const a = yield* TcpListener.bind(0);
          try {
            yield* TcpListener.bind(a.port);
          } finally {
            a.close();
          }
        }),
      );
      expect((error as NodeJS.ErrnoException).code).to.equal("EADDRINUSE");
    });

    it("a reset by the peer throws ECONNRESET at the waiting read, and at every read after it", async () => {
      const codes = await run(function* () {
        const listener = yield* TcpListener.bind(0);
        const client = yield* TcpStream.connect(listener.port);
        const conn = yield* listener.accept();
        const reader = spawn(function* () {
          const out: string[] = [];
          for (let i = 0; i < 2; i++) {
            try {
              yield* client.read();
              out.push("data");
            } catch (error) {
              out.push((error as NodeJS.ErrnoException).code ?? String(error));
            }
          }
          return out;
        });
        yield* sleep(10);
        conn.socket.resetAndDestroy();
        const out = yield* reader;
        client.close();
        listener.close();
        return out;
      });
      expect(codes).to.deep.equal(["ECONNRESET", "ECONNRESET"]);
    });

    it("reading or writing after close() throws an error naming the stream", async () => {
      const messages = await run(function* () {
        const listener = yield* TcpListener.bind(0);
        const client = yield* TcpStream.connect(listener.port);
        const conn = yield* listener.accept();
        client.close();
        const out: string[] = [];
        for (const op of [() => client.read(), () => client.write("x")]) {
          try {
            yield* op();
          } catch (error) {
            out.push((error as Error).message);
          }
        }
        conn.close();
        listener.close();
        return out;
      });
      expect(messages).to.have.length(2);
      expect(messages[0]).to.match(/^read on tcp 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+ after close\(\)$/);
      expect(messages[1]).to.match(/^write on tcp .* after it was closed$/);
    });

    it("an accept waiting when its listener closes throws, and the queued connections are closed", async () => {
      const out = await run(function* () {
        const listener = yield* TcpListener.bind(0);
        const queued = yield* TcpStream.connect(listener.port);
        yield* sleep(20);
        const queuedBefore = listener.queued;
        yield* listener.accept(); // take the first so the next accept waits
        const second = yield* TcpStream.connect(listener.port);
        yield* sleep(20);
        const waiter = spawn(function* () {
          yield* listener.accept(); // takes `second`
          try {
            yield* listener.accept();
            return "accepted";
          } catch (error) {
            return (error as Error).message;
          }
        });
        yield* sleep(10);
        listener.close();
        const msg = yield* waiter;
        queued.close();
        second.close();
        return { queuedBefore, msg };
      });
      expect(out.queuedBefore).to.equal(1);
      expect(out.msg).to.match(/^accept on tcp 127\.0\.0\.1:\d+ after close\(\)$/);
    });

    it("connections queued but never accepted are destroyed by close()", async () => {
      const got = await run(function* () {
        const listener = yield* TcpListener.bind(0);
        const client = yield* TcpStream.connect(listener.port);
        yield* sleep(20);
        listener.close();
        const r = yield* timeout(2000, function* () {
          try {
            return text(yield* client.read());
          } catch (error) {
            return (error as NodeJS.ErrnoException).code ?? "error";
          }
        });
        client.close();
        return r;
      });
      expect(["<end>", "ECONNRESET"]).to.include(got);
    });
  });

  describe("cancellation", () => {
    it("a read cancelled while it waits loses no byte: the next read gets them all", async () => {
      const result = await run(function* () {
        const listener = yield* TcpListener.bind(0);
        const client = yield* TcpStream.connect(listener.port);
        const conn = yield* listener.accept();
        let timedOut = false;
        try {
          yield* timeout(20, client.read());
        } catch (error) {
          timedOut = error instanceof TimeoutError;
        }
        yield* conn.write("abc");
        yield* sleep(10);
        const chunk = text(yield* client.read());
        conn.close();
        client.close();
        listener.close();
        return { timedOut, chunk };
      });
      expect(result).to.deep.equal({ timedOut: true, chunk: "abc" });
    });

    it("reads raced against a timer many times lose nothing of a steady stream", async function () {
      this.timeout(20_000);
      const total = 200;
      const result = await run(function* () {
        const listener = yield* TcpListener.bind(0);
        const client = yield* TcpStream.connect(listener.port);
        const conn = yield* listener.accept();
        const writer = spawn(function* () {
          for (let i = 0; i < total; i++) {
            yield* conn.write(String(i % 10));
            if (i % 7 === 0) yield* sleep(1);
          }
          conn.close();
        });
        let received = "";
        let lost = 0;
        for (let i = 0; i < 10_000; i++) {
          const r = yield* race(client.read(), sleep(0));
          if (r === undefined) {
            // either the timer won (the read was cancelled) or the stream ended
            if (writer.finished && client.socket.readableEnded) break;
            lost++;
            continue;
          }
          received += text(r);
        }
        received += yield* readAll(client);
        yield* writer;
        client.close();
        listener.close();
        return { received, raced: lost > 0 };
      });
      let expected = "";
      for (let i = 0; i < total; i++) expected += String(i % 10);
      expect(result.received).to.equal(expected);
      expect(result.raced).to.equal(true);
    });

    it("a task cancelled while it accepts or reads closes nothing: the listener and the stream still work", async () => {
      const out = await run(function* () {
        const listener = yield* TcpListener.bind(0);
        const acceptor = spawn(() => listener.accept());
        yield* sleep(10);
        acceptor.abort();
        const client = yield* TcpStream.connect(listener.port);
        const conn = yield* listener.accept();
        const reader = spawn(() => conn.read());
        yield* sleep(10);
        reader.abort();
        yield* client.write("still open");
        const got = text(yield* conn.read());
        const closed = { listenerClosed: listener.closed, streamClosed: conn.closed };
        conn.close();
        client.close();
        listener.close();
        return { got, ...closed };
      });
      expect(out).to.deep.equal({ got: "still open", listenerClosed: false, streamClosed: false });
    });

    it("a connect cancelled before it completes destroys its half-made socket and releases its count", async () => {
      const out = await run(function* () {
        const listener = yield* TcpListener.bind(0);
        const rt = current();
        const winner = yield* race(TcpStream.connect(listener.port), function* () {
          return "first";
        });
        const pendingAfter = rt.metrics.pendingExternal;
        listener.close();
        return { winner, pendingAfter };
      });
      expect(out).to.deep.equal({ winner: "first", pendingAfter: 0 });
    });
  });

  describe("outside work and descriptions", () => {
    it("a waiting read counts as pending outside work, and stops counting when it is done", async () => {
      const counts = await run(function* () {
        const rt = current();
        const listener = yield* TcpListener.bind(0);
        const client = yield* TcpStream.connect(listener.port);
        const conn = yield* listener.accept();
        const before = rt.metrics.pendingExternal;
        const reader = spawn(() => conn.read());
        yield* sleep(10);
        const waiting = rt.metrics.pendingExternal;
        yield* client.write("x");
        yield* reader;
        const after = rt.metrics.pendingExternal;
        conn.close();
        client.close();
        listener.close();
        return [before, waiting, after];
      });
      expect(counts).to.deep.equal([0, 1, 0]);
    });

    it("a virtual-clock runtime waits for socket I/O instead of calling it a deadlock", async () => {
      const rt = new Runtime({ clock: "virtual" });
      const h = rt.spawn(function* () {
        const listener = yield* TcpListener.bind(0);
        const server = spawn(function* () {
          const conn = yield* listener.accept();
          const got = text(yield* conn.read());
          yield* conn.write(got.toUpperCase());
          conn.close();
        });
        const client = yield* TcpStream.connect(listener.port);
        yield* client.write("virtual");
        const r = yield* readAll(client);
        client.close();
        yield* server;
        listener.close();
        return r;
      });
      await rt.run();
      expect(await h).to.equal("VIRTUAL");
    });

    it("runSync() reports a task waiting on a socket by what it waits for", async () => {
      const outside = await new Promise<net.Server>((resolve) => {
        const s = net.createServer((c) => c.on("error", () => {}));
        s.listen(0, "127.0.0.1", () => resolve(s));
      });
      const port = (outside.address() as net.AddressInfo).port;
      try {
        const rt = new Runtime({ clock: "virtual" });
        rt.spawn(() => TcpStream.connect(port), { name: "dialer" });
        const error = thrown(() => rt.runSync());
        expect(error).to.be.instanceOf(DeadlockError);
        expect((error as Error).message).to.include(`connect to tcp 127.0.0.1:${port}`);
        expect((error as Error).message).to.include("promises or I/O");
        rt.shutdown();
      } finally {
        outside.close();
      }
    });

    it("describes its futures: accept on the listener's address, read and write on the stream's ends", async () => {
      const seen = await run(function* () {
        const listener = yield* TcpListener.bind(0);
        const client = yield* TcpStream.connect(listener.port);
        const conn = yield* listener.accept();
        const out = [words(listener.accept()), words(client.read()), words(client.write("x")), String(client)];
        conn.close();
        client.close();
        listener.close();
        return { out, port: listener.port, local: client.localPort };
      });
      expect(seen.out).to.deep.equal([
        `accept on tcp 127.0.0.1:${seen.port}`,
        `read on tcp 127.0.0.1:${seen.local} -> 127.0.0.1:${seen.port}`,
        `write on tcp 127.0.0.1:${seen.local} -> 127.0.0.1:${seen.port}`,
        `TcpStream(tcp 127.0.0.1:${seen.local} -> 127.0.0.1:${seen.port})`,
      ]);
    });
  });

  describe("bad input", () => {
    it("refuses ports outside 0–65535 and non-numbers, naming the value", () => {
      expect((thrown(() => TcpListener.bind(-1)) as Error).message).to.include("-1");
      expect(thrown(() => TcpListener.bind(70000))).to.be.instanceOf(RangeError);
      expect((thrown(() => TcpListener.bind("80" as unknown as number)) as Error).message).to.include('"80"');
      expect((thrown(() => TcpStream.connect(0)) as Error).message).to.include("from 1 to 65535");
    });

    it("refuses an empty host and a write of something that is not bytes", async () => {
      expect(thrown(() => TcpStream.connect(80, ""))).to.be.instanceOf(TypeError);
      const msg = await run(function* () {
        const listener = yield* TcpListener.bind(0);
        const client = yield* TcpStream.connect(listener.port);
        const e = thrown(() => client.write(42 as unknown as string));
        client.close();
        listener.close();
        return (e as Error).message;
      });
      expect(msg).to.include("Uint8Array or a string, not 42");
    });
  });
});

/** A port nothing listens on (bound, then closed). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

// TcpListener: a listening TCP socket whose `accept()` is a future. Connections that arrive
// while no task is accepting wait in a FIFO queue, already wrapped (so their errors are caught
// and kept); each is handed to exactly one accept, in its own poll, so a cancelled accept takes
// no connection with it. The listener owns the queued connections and closes them with itself.

import * as net from "node:net";
import { Poll, type Op } from "../poll";
import { RingQueue } from "../queue";
import type { Context } from "../waker";
import { HostOp, WaitList } from "./outside";
import { TcpStream, checkHost, checkPort, endpoint } from "./tcp-stream";

/** Where a listener listens. @public */
export interface ListenAddress {
  /** The address listened on, as the OS reports it (`127.0.0.1`, `::`). */
  readonly address: string;
  /** The port (the one the OS chose, after `bind(0)`). */
  readonly port: number;
  /** `IPv4` or `IPv6`. */
  readonly family: string;
}

/**
 * A TCP server socket. Bind it, then accept connections one `yield*` at a time. An open
 * listener keeps the process alive: close it (or bind it with `using`) when done.
 *
 * ```ts
 * const listener = yield* TcpListener.bind(0);          // 0: any free port, on 127.0.0.1
 * console.log(`listening on ${listener.port}`);
 * for (;;) {
 *   const conn = yield* listener.accept();
 *   spawn(serve(conn));
 * }
 * ```
 * @public
 */
export class TcpListener {
  private readonly queue = new RingQueue<TcpStream>();
  private readonly acceptors = new WaitList<AcceptOp>();
  private failure: Error | undefined = undefined;
  private closedByUs = false;
  private readonly where: ListenAddress;
  /** `tcp 127.0.0.1:5000`. */
  readonly label: string;

  /** @internal Made by {@link TcpListener.bind}. */
  constructor(
    /** The Node server underneath, for options wakeful does not wrap (`maxConnections`). Do not listen to its `connection` event yourself. */
    readonly server: net.Server,
  ) {
    const a = server.address();
    if (a === null || typeof a === "string") throw new Error(`TcpListener needs a TCP server, not one listening on ${String(a)}`);
    this.where = { address: a.address, port: a.port, family: a.family };
    this.label = `tcp ${endpoint(a.address, a.port)}`;
    server.on("connection", (socket: net.Socket) => {
      if (this.closedByUs) {
        socket.destroy();
        return;
      }
      this.queue.push(new TcpStream(socket));
      this.acceptors.wakeAll();
    });
    server.on("error", (error: Error) => {
      this.failure ??= error;
      this.acceptors.wakeAll();
    });
  }

  /**
   * Listen on `host:port`; `host` defaults to `127.0.0.1` (loopback only: pass `"0.0.0.0"` or
   * `"::"` to listen on every interface), port 0 asks the OS for a free port (read it from
   * {@link TcpListener.port}). Starts at the first poll; an address in use throws at the yield.
   */
  static bind(port: number, host = "127.0.0.1"): Op<TcpListener> {
    return new BindOp(checkPort(port, "TcpListener.bind()", true), checkHost(host, "TcpListener.bind()"));
  }

  /** The port listened on (the one the OS chose, after `bind(0)`). */
  get port(): number {
    return this.where.port;
  }

  /** The address, port and family listened on. */
  address(): ListenAddress {
    return this.where;
  }

  /** Connections accepted by the OS and waiting for an `accept()`. */
  get queued(): number {
    return this.queue.length;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.closedByUs;
  }

  /**
   * The next connection, waiting until one arrives (several accepting tasks are woken in the order they began to wait).
   * Throws once the listener is closed, or failed.
   */
  accept(): Op<TcpStream> {
    return new AcceptOp(this);
  }

  /**
   * Stop listening (idempotent). Connections queued but not yet accepted are destroyed; those
   * already accepted belong to their tasks and stay open. Accepts waiting now throw.
   */
  close(): void {
    if (this.closedByUs) return;
    this.closedByUs = true;
    this.server.close();
    for (let s = this.queue.shift(); s !== undefined; s = this.queue.shift()) s.destroy();
    this.acceptors.wakeAll();
  }

  /** `close()`, for `using listener = yield* TcpListener.bind(0)`: it stops listening when the block ends. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `TcpListener(tcp 127.0.0.1:5000)`. */
  toString(): string {
    return `TcpListener(${this.label})`;
  }

  /** @internal A queued connection, `null` when the accept must wait; throws when closed or failed. */
  take(): TcpStream | null {
    if (this.failure !== undefined) throw this.failure;
    if (this.closedByUs) throw new Error(`accept on ${this.label} after close()`);
    return this.queue.shift() ?? null;
  }

  /** @internal */
  waitAccept(op: AcceptOp): void {
    this.acceptors.add(op);
  }
  /** @internal */
  stopAccept(op: AcceptOp): void {
    this.acceptors.delete(op);
  }
}

/** One `accept()`. */
class AcceptOp extends HostOp<TcpStream> {
  constructor(private readonly listener: TcpListener) {
    super();
  }

  poll(cx: Context): Poll<TcpStream> {
    if (this.hasOutcome) return this.serve(cx.waker);
    let conn: TcpStream | null;
    try {
      conn = this.listener.take();
    } catch (error) {
      this.undo();
      return this.decide(cx.waker, undefined, error);
    }
    if (conn === null) {
      this.listener.waitAccept(this);
      this.park(cx);
      return Poll.pending;
    }
    this.undo();
    return this.decide(cx.waker, Poll.ready(conn));
  }

  /** Leave the listener's acceptors (accepted, failed, or the last waiter left). */
  protected override undo(): void {
    this.listener.stopAccept(this);
    this.release();
  }

  describe(): string {
    return `accept on ${this.listener.label}`;
  }
}

/** `TcpListener.bind()`: starts listening at the first poll, ready once the OS agreed. */
class BindOp extends HostOp<TcpListener> {
  private server: net.Server | undefined = undefined;
  /** Made the moment the OS agrees, so no connection arrives before someone queues it. */
  private listener: TcpListener | undefined = undefined;
  private failure: Error | undefined = undefined;
  private handedOver = false;

  constructor(
    private readonly port: number,
    private readonly host: string,
  ) {
    super();
  }

  poll(cx: Context): Poll<TcpListener> {
    if (this.hasOutcome) return this.serve(cx.waker);
    if (this.handedOver) throw new Error(`${this.describe()} was cancelled (all its waiters left) and its server closed: call bind() again`);
    if (this.server === undefined) {
      const server = net.createServer();
      this.server = server;
      const onError = (error: Error) => {
        this.failure ??= error;
        this.wakeFromHost();
      };
      server.on("error", onError);
      server.listen(this.port, this.host, () => {
        if (this.handedOver) return; // dropped while binding: drop() closed the server
        server.removeListener("error", onError);
        this.listener = new TcpListener(server);
        this.wakeFromHost();
      });
    }
    if (this.failure !== undefined) {
      this.handedOver = true;
      this.release();
      this.server.close();
      return this.decide(cx.waker, undefined, this.failure);
    }
    if (this.listener !== undefined) {
      this.handedOver = true;
      this.release();
      return this.decide(cx.waker, Poll.ready(this.listener));
    }
    this.park(cx);
    return Poll.pending;
  }

  /** Every waiter left before the listener was handed over: close what nobody will receive. */
  protected override undo(): void {
    this.release();
    // Cancelled while binding: nobody else holds this server.
    if (this.server !== undefined && !this.handedOver) {
      this.handedOver = true;
      if (this.listener !== undefined) this.listener.close();
      else this.server.close();
    }
  }

  describe(): string {
    return `bind tcp ${endpoint(this.host, this.port)}`;
  }
}

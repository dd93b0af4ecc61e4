// TcpStream: a TCP connection whose reads and writes are wakeful futures. The socket is never
// left flowing: data waits in its buffer (and TCP pushes back on the peer) until a task's
// `read()` takes it in its own poll, so a read cancelled while it waits loses nothing. Host
// events only wake the waiting futures; every socket error is kept and thrown at a yield.

import * as net from "node:net";
import { READY_VOID } from "../futures";
import { Poll, describeValue, type Op } from "../poll";
import type { Context } from "../waker";
import { HostOp, WaitList } from "./outside";

/** Where a socket ends: `127.0.0.1:5000`, `[::1]:5000`. */
export function endpoint(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return "?";
  return `${address.includes(":") ? `[${address}]` : address}:${port ?? "?"}`;
}

/** A port number as `bind` and `connect` accept it (0 asks the OS for a free one). */
export function checkPort(port: unknown, who: string, allowZero: boolean): number {
  if (typeof port !== "number" || !Number.isInteger(port) || port < (allowZero ? 0 : 1) || port > 65535) {
    throw new RangeError(`${who} needs a port from ${allowZero ? 0 : 1} to 65535, not ${describeValue(port)}`);
  }
  return port;
}

/** A host name or address: a non-empty string. */
export function checkHost(host: unknown, who: string): string {
  if (typeof host !== "string" || host.length === 0) throw new TypeError(`${who} needs a host name or address (a string such as "127.0.0.1"), not ${describeValue(host)}`);
  return host;
}

/**
 * A connected TCP stream. `read()` and `write()` are futures; errors of the socket (a reset,
 * a broken pipe) are thrown at the `yield*` of the next read or write.
 *
 * ```ts
 * const s = yield* TcpStream.connect(port);
 * yield* s.write("ping\n");
 * const reply = yield* s.read();   // a chunk, or undefined at end of stream
 * s.close();
 * ```
 *
 * Reads take whatever the socket has buffered (one chunk of any size); a task that wants
 * lines or frames keeps its own buffer. Several tasks may read or write one stream, though the
 * order of their chunks is then theirs to arrange.
 * @public
 */
export class TcpStream {
  /** The reads waiting for data (woken on `readable`, `end`, an error, or close). */
  private readonly readers = new WaitList<ReadOp>();
  /** The writes waiting for `drain`. */
  private readonly writers = new WaitList<WriteOp>();
  private ended = false;
  private failure: Error | undefined = undefined;
  private closedByUs = false;
  /** `tcp local -> remote`, fixed at the start (a closed socket forgets its addresses). */
  readonly label: string;

  private readonly onReadable = (): void => this.readers.wakeAll();
  private readonly onEnd = (): void => {
    this.ended = true;
    this.readers.wakeAll();
  };
  private readonly onError = (error: Error): void => {
    this.failure ??= error;
    this.readers.wakeAll();
    this.writers.wakeAll();
  };
  private readonly onDrain = (): void => this.writers.wakeAll();
  private readonly onClose = (): void => {
    this.readers.wakeAll();
    this.writers.wakeAll();
  };

  /** @internal Streams come from {@link TcpStream.connect}, {@link TcpListener.accept} or {@link TcpStream.fromSocket}. */
  constructor(
    /** The Node socket underneath, for options wakeful does not wrap (keep-alive, timeouts). Do not read from it yourself. */
    readonly socket: net.Socket,
  ) {
    this.label = `tcp ${endpoint(socket.localAddress, socket.localPort)} -> ${endpoint(socket.remoteAddress, socket.remotePort)}`;
    socket.on("readable", this.onReadable); // paused mode: data waits for read()
    socket.on("end", this.onEnd);
    socket.on("error", this.onError);
    socket.on("drain", this.onDrain);
    socket.on("close", this.onClose);
  }

  /**
   * Connect to `host:port` (host defaults to `127.0.0.1`). The connection starts at the first
   * poll; a task cancelled while connecting destroys the half-made socket (nobody else owns it).
   * A refused or failed connection throws at the yield.
   */
  static connect(port: number, host = "127.0.0.1"): Op<TcpStream> {
    return new ConnectOp(checkPort(port, "TcpStream.connect()", false), checkHost(host, "TcpStream.connect()"));
  }

  /**
   * Adopt a connected `net.Socket` (from another library, an HTTP upgrade…). The stream takes
   * over reading: do not attach `data` listeners or pipe the socket elsewhere.
   */
  static fromSocket(socket: net.Socket): TcpStream {
    if (!(socket instanceof net.Socket)) throw new TypeError(`TcpStream.fromSocket() needs a net.Socket, not ${describeValue(socket)}`);
    if (socket.destroyed) throw new Error("TcpStream.fromSocket(): the socket is already destroyed");
    return new TcpStream(socket);
  }

  /** This end's address (`127.0.0.1`); undefined once the socket is destroyed. */
  get localAddress(): string | undefined {
    return this.socket.localAddress;
  }
  /** This end's port. */
  get localPort(): number | undefined {
    return this.socket.localPort;
  }
  /** The peer's address. */
  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }
  /** The peer's port. */
  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }

  /** True once `close()` or `destroy()` was called. */
  get closed(): boolean {
    return this.closedByUs;
  }

  /** Turn Nagle's algorithm off (`true`, the usual choice for request/response) or on. */
  setNoDelay(noDelay = true): this {
    this.socket.setNoDelay(noDelay);
    return this;
  }

  /**
   * The next chunk of bytes the peer sent, waiting while none is buffered; `undefined` at end
   * of stream (the peer closed its side). Cancel-safe: bytes are taken only in the poll that
   * returns them, so a cancelled read leaves them for the next one.
   */
  read(): Op<Uint8Array | undefined> {
    return new ReadOp(this);
  }

  /**
   * Send `bytes` (a string is sent as UTF-8). Ready as soon as the socket accepted them, or,
   * when its buffer is full (back-pressure), once it drained. Bytes are handed to the socket in
   * the first poll, so a write cancelled while it waits for the drain is still sent.
   */
  write(bytes: Uint8Array | string): Op<void> {
    if (!(bytes instanceof Uint8Array) && typeof bytes !== "string") {
      throw new TypeError(`TcpStream.write() needs a Uint8Array or a string, not ${describeValue(bytes)}`);
    }
    return new WriteOp(this, bytes);
  }

  /**
   * Close gracefully (idempotent): bytes already written are still sent, then the peer sees
   * end of stream. Anything the peer sends afterwards is discarded. A read waiting on this
   * stream, or made later, throws; a write made later throws.
   */
  close(): void {
    if (this.closedByUs) return;
    this.closedByUs = true;
    const socket = this.socket;
    socket.removeListener("readable", this.onReadable);
    socket.end();
    socket.resume(); // discard what still arrives, so the peer is never stuck on a full window
    this.readers.wakeAll();
    this.writers.wakeAll();
  }

  /** `close()`, for `using conn = yield* listener.accept()`: the stream closes when the block ends. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Close at once (idempotent), dropping unsent and unread bytes: the peer may see a reset. */
  destroy(): void {
    this.closedByUs = true;
    this.socket.destroy();
    this.readers.wakeAll();
    this.writers.wakeAll();
  }

  /** `TcpStream(tcp 127.0.0.1:41234 -> 127.0.0.1:5000)`. */
  toString(): string {
    return `TcpStream(${this.label})`;
  }

  // ── Used by the futures below ────────────────────────────────────────────────────────

  /** @internal A chunk if one is buffered, `undefined` at end, `null` when the read must wait. */
  takeChunk(): Uint8Array | undefined | null {
    if (this.failure !== undefined) throw this.failure;
    if (this.closedByUs) throw new Error(`read on ${this.label} after close()`);
    const chunk = this.socket.read() as Buffer | null;
    if (chunk !== null) return chunk;
    if (this.ended || this.socket.readableEnded || this.socket.destroyed) return undefined;
    return null;
  }

  /** @internal Throws the stream's error, or a closed-stream error for a new write. */
  checkWritable(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.closedByUs || this.socket.destroyed || this.socket.writableEnded) throw new Error(`write on ${this.label} after it was closed`);
  }

  /** @internal True while a write must wait for the socket's buffer to drain. */
  needsDrain(): boolean {
    if (this.failure !== undefined) throw this.failure;
    return this.socket.writableNeedDrain && !this.socket.destroyed;
  }

  /** @internal */
  waitRead(op: ReadOp): void {
    this.readers.add(op);
  }
  /** @internal */
  stopRead(op: ReadOp): void {
    this.readers.delete(op);
  }
  /** @internal */
  waitDrain(op: WriteOp): void {
    this.writers.add(op);
  }
  /** @internal */
  stopDrain(op: WriteOp): void {
    this.writers.delete(op);
  }
}

/** One `read()`: takes a chunk in a poll, never before; every waiter of one read gets that chunk. */
class ReadOp extends HostOp<Uint8Array | undefined> {
  constructor(private readonly stream: TcpStream) {
    super();
  }

  poll(cx: Context): Poll<Uint8Array | undefined> {
    if (this.hasOutcome) return this.serve(cx.waker);
    let chunk: Uint8Array | undefined | null;
    try {
      chunk = this.stream.takeChunk();
    } catch (error) {
      this.undo();
      return this.decide(cx.waker, undefined, error);
    }
    if (chunk === null) {
      this.stream.waitRead(this);
      this.park(cx);
      return Poll.pending;
    }
    this.undo();
    return this.decide(cx.waker, Poll.ready(chunk));
  }

  /** Leave the stream's readers (read, failed, or the last waiter left). */
  protected override undo(): void {
    this.stream.stopRead(this);
    this.release();
  }

  describe(): string {
    return `read on ${this.stream.label}`;
  }
}

const WRITE_NEW = 0;
const WRITE_DRAINING = 1;
const WRITE_DONE = 2;

/** One `write()`: hands the bytes over in its first poll, then waits for `drain` if told to. */
class WriteOp extends HostOp<void> {
  private phase = WRITE_NEW;

  constructor(
    private readonly stream: TcpStream,
    private bytes: Uint8Array | string | undefined,
  ) {
    super();
  }

  poll(cx: Context): Poll<void> {
    if (this.hasOutcome) return this.serve(cx.waker);
    const stream = this.stream;
    let done = false;
    try {
      if (this.phase === WRITE_NEW) {
        stream.checkWritable();
        const bytes = this.bytes as Uint8Array | string;
        this.bytes = undefined; // the socket owns them now
        this.phase = WRITE_DRAINING;
        done = stream.socket.write(bytes) || !stream.needsDrain();
      } else done = !stream.needsDrain();
    } catch (error) {
      this.finish();
      return this.decide(cx.waker, undefined, error);
    }
    if (done) {
      this.finish();
      return this.decide(cx.waker, READY_VOID);
    }
    stream.waitDrain(this);
    this.park(cx);
    return Poll.pending;
  }

  /** Leave the stream's writers waiting for drain (done, failed, or the last waiter left). */
  protected override undo(): void {
    this.stream.stopDrain(this);
    this.release();
  }

  describe(): string {
    return this.phase === WRITE_DRAINING ? `write on ${this.stream.label} (waiting for the socket to drain)` : `write on ${this.stream.label}`;
  }

  private finish(): void {
    this.phase = WRITE_DONE;
    this.undo();
  }
}

/** `TcpStream.connect()`: opens the socket at the first poll, ready once connected. */
class ConnectOp extends HostOp<TcpStream> {
  private socket: net.Socket | undefined = undefined;
  private connected = false;
  private failure: Error | undefined = undefined;
  private handedOver = false;

  constructor(
    private readonly port: number,
    private readonly host: string,
  ) {
    super();
  }

  poll(cx: Context): Poll<TcpStream> {
    if (this.hasOutcome) return this.serve(cx.waker);
    if (this.handedOver) throw new Error(`${this.describe()} was cancelled (all its waiters left) and its socket destroyed: call connect() again`);
    if (this.socket === undefined) {
      const socket = net.connect({ port: this.port, host: this.host });
      this.socket = socket;
      socket.once("connect", () => {
        this.connected = true;
        this.wakeFromHost();
      });
      socket.on("error", (error: Error) => {
        this.failure ??= error;
        this.wakeFromHost();
      });
    }
    if (this.failure !== undefined) {
      this.release();
      this.handedOver = true;
      this.socket.destroy();
      return this.decide(cx.waker, undefined, this.failure);
    }
    if (this.connected) {
      this.release();
      this.handedOver = true;
      this.socket.removeAllListeners("error");
      return this.decide(cx.waker, Poll.ready(new TcpStream(this.socket)));
    }
    this.park(cx);
    return Poll.pending;
  }

  /** Every waiter left before the stream was handed over: the socket is nobody's, so it goes. */
  protected override undo(): void {
    this.release();
    if (this.socket !== undefined && !this.handedOver) {
      this.handedOver = true;
      this.socket.destroy();
    }
  }

  describe(): string {
    return `connect to tcp ${endpoint(this.host, this.port)}`;
  }
}

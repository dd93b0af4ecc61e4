// A small HTTP/1.1 server on wakeful's TcpListener: keep-alive, pipelining, a fixed response.
// Used by examples/http-server.ts and by the HTTP benchmark (bench/http), which runs the same
// parser under async/await for comparison. Not a general HTTP server: no chunked request
// bodies, no header folding, one fixed answer.

import { CancelledError, scope } from "../../lib/index";
import type { Operation } from "../../lib/index";
import type { TcpListener, TcpStream } from "../../lib/node/index";

/** The one response the server gives, and its bytes. */
export const BODY = "Hello, world!";
const RESPONSE_KEEP_ALIVE = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`);
const RESPONSE_CLOSE = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\nConnection: close\r\n\r\n${BODY}`);
const BAD_REQUEST = Buffer.from("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
const NOT_IMPLEMENTED = Buffer.from("HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

const CRLFCRLF = Buffer.from("\r\n\r\n");
const MAX_HEAD = 16 * 1024;

/** What the parser found in the bytes so far. */
export interface Parsed {
  /** Complete requests at the start of the buffer (pipelined requests come several at once). */
  requests: number;
  /** Bytes those requests used: drop them from the buffer. */
  consumed: number;
  /** The last complete request asked to close the connection (or was HTTP/1.0 without keep-alive). */
  close: boolean;
  /** The bytes are not a request we serve: answer this and close. */
  error: Buffer | undefined;
}

/**
 * Find the complete requests at the start of `buf`: each is a head ending in CRLFCRLF,
 * followed by `Content-Length` bytes of body (skipped). Pure and synchronous, so the wakeful
 * and the async/await servers share it.
 */
export function parseRequests(buf: Buffer): Parsed {
  let at = 0;
  let requests = 0;
  let close = false;
  for (;;) {
    const end = buf.indexOf(CRLFCRLF, at);
    if (end < 0) {
      if (buf.length - at > MAX_HEAD) return { requests, consumed: at, close, error: BAD_REQUEST };
      break;
    }
    const head = buf.toString("latin1", at, end);
    const lines = head.split("\r\n");
    const [method, target, version] = (lines[0] ?? "").split(" ");
    if (method === undefined || target === undefined || version === undefined || !version.startsWith("HTTP/1.")) {
      return { requests, consumed: at, close, error: BAD_REQUEST };
    }
    let length = 0;
    let keepAlive = version === "HTTP/1.1";
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === "content-length") length = Number(value);
      else if (name === "connection") keepAlive = value.toLowerCase() === "keep-alive" ? true : value.toLowerCase() === "close" ? false : keepAlive;
      else if (name === "transfer-encoding") return { requests, consumed: at, close, error: NOT_IMPLEMENTED };
    }
    if (!Number.isInteger(length) || length < 0) return { requests, consumed: at, close, error: BAD_REQUEST };
    const next = end + 4 + length;
    if (next > buf.length) break; // the body is still on its way
    at = next;
    requests++;
    close = !keepAlive;
    if (close) break; // nothing after a closing request is served
  }
  return { requests, consumed: at, close, error: undefined };
}

/** The bytes answering `n` requests, the last one closing the connection if `close`. */
export function responses(n: number, close: boolean): Buffer {
  if (n === 1) return close ? RESPONSE_CLOSE : RESPONSE_KEEP_ALIVE;
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i++) parts.push(close && i === n - 1 ? RESPONSE_CLOSE : RESPONSE_KEEP_ALIVE);
  return Buffer.concat(parts);
}

/** What a server did, for the example to print. */
export interface ServerStats {
  connections: number;
  requests: number;
  /** Connections that ended with a socket error (a client that reset, say). */
  errors: number;
}

/**
 * Serve one connection until the client closes it or asks to: read, answer every complete
 * request in what was read with one write, repeat. A socket error ends this connection only.
 */
export function* serveConnection(conn: TcpStream, stats: ServerStats): Operation<void> {
  let buf: Buffer = Buffer.alloc(0);
  try {
    for (;;) {
      const chunk = yield* conn.read();
      if (chunk === undefined) return; // the client closed its side
      buf = buf.length === 0 ? (chunk as Buffer) : Buffer.concat([buf, chunk]);
      const p = parseRequests(buf);
      if (p.requests > 0) {
        stats.requests += p.requests;
        yield* conn.write(responses(p.requests, p.close));
        buf = buf.subarray(p.consumed);
      }
      if (p.error !== undefined) {
        yield* conn.write(p.error);
        return;
      }
      if (p.close) return;
    }
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    stats.errors++;
  } finally {
    conn.close();
  }
}

/**
 * Accept connections forever, each served by its own task in one scope: cancelling this
 * operation cancels every connection's task, whose `finally` closes its socket.
 */
export function* serve(listener: TcpListener, stats: ServerStats): Operation<void> {
  yield* scope(function* (s) {
    for (;;) {
      const conn = yield* listener.accept();
      conn.setNoDelay(true);
      stats.connections++;
      s.spawn(serveConnection(conn, stats));
    }
  });
}

// Helpers for the wakeful/node specs: real sockets on 127.0.0.1 only, every wait bounded.

import { TextDecoder } from "node:util";
import type { Operation } from "../../lib/index";
import { TcpStream } from "../../lib/node/index";

const decoder = new TextDecoder();

/** Bytes as text. */
export function text(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? "<end>" : decoder.decode(bytes);
}

/** Read until `n` bytes arrived (or the stream ended), at most `maxReads` reads. */
export function* readBytes(s: TcpStream, n: number, maxReads = 10_000): Operation<Uint8Array> {
  const parts: Uint8Array[] = [];
  let got = 0;
  for (let i = 0; i < maxReads && got < n; i++) {
    const chunk = yield* s.read();
    if (chunk === undefined) break;
    parts.push(chunk);
    got += chunk.length;
  }
  return Buffer.concat(parts);
}

/** Read every chunk until end of stream, as text (bounded). */
export function* readAll(s: TcpStream, maxReads = 10_000): Operation<string> {
  let out = "";
  for (let i = 0; i < maxReads; i++) {
    const chunk = yield* s.read();
    if (chunk === undefined) return out;
    out += decoder.decode(chunk);
  }
  throw new Error(`readAll: no end of stream after ${maxReads} reads`);
}

/** The error a function throws (fails the test if it does not). */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw, got none");
}

/** The rejection of a promise (fails the test if it resolves). */
export async function rejection(p: PromiseLike<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, got a value");
}

/** What a future says it waits for (every wakeful future describes itself). */
export function words(future: unknown): string {
  const f = future as { describe?(): string };
  if (typeof f.describe !== "function") throw new Error("this future does not describe itself");
  return f.describe();
}

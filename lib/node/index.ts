// wakeful/node: the Node-only edge of wakeful. Sockets, a worker-thread pool, events, abort
// signals and async iterables, each turned into futures that park a task until the host
// calls back. Every wait here counts as outside work while it lasts, so a virtual-clock
// runtime waits for it instead of reporting a deadlock, and every wait cleans up when the
// waiting task is cancelled (a listener removed, a half-made socket destroyed, a job dropped).
//
// Reading order: outside.ts (how a host callback wakes a task) → tcp-stream.ts and
// tcp-listener.ts → blocking.ts (+ blocking-worker.ts) → events.ts → abort.ts →
// async-iterable.ts and from-async-iterable.ts.

/**
 * Node-only futures: TCP sockets ({@link TcpListener}, {@link TcpStream}), a worker-thread
 * pool for blocking work ({@link spawnBlocking}), events ({@link fromEvent}), AbortSignal both
 * ways ({@link abortSignalFuture}, {@link toAbortSignal}) and async iterables both ways
 * ({@link asyncIterable}, {@link fromAsyncIterable}).
 *
 * ```ts
 * import { run, spawn } from "wakeful";
 * import { TcpListener } from "wakeful/node";
 *
 * await run(function* () {
 *   const listener = yield* TcpListener.bind(8080);
 *   for (;;) {
 *     const conn = yield* listener.accept();
 *     spawn(function* () {
 *       for (let chunk; (chunk = yield* conn.read()) !== undefined; ) yield* conn.write(chunk);
 *       conn.close();
 *     });
 *   }
 * });
 * ```
 * @module wakeful/node
 */

export { TcpStream } from "./tcp-stream";
export { TcpListener } from "./tcp-listener";
export type { ListenAddress } from "./tcp-listener";
export { spawnBlocking, blockingPool, BlockingPool } from "./blocking";
export type { BlockingPoolOptions } from "./blocking";
export { fromEvent, fromEventArgs } from "./events";
export type { EmitterLike, EventTargetLike } from "./events";
export { abortSignalFuture, toAbortSignal } from "./abort";
export { asyncIterable } from "./async-iterable";
export type { AsyncIterableOptions, RecvSource } from "./async-iterable";
export { fromAsyncIterable, AsyncIterableReceiver } from "./from-async-iterable";

// Events as futures: wait for the next event of a Node EventEmitter or a DOM-style
// EventTarget. Invariant: a listener is attached only while a task waits (from the first poll
// until the event, an error, or the drop), so a cancelled wait leaves no listener behind.

import { Poll, describeValue, type Op } from "../poll";
import type { Context } from "../waker";
import { HostOp } from "./outside";

/** A Node-style emitter: `on`/`off` (or `addListener`/`removeListener`). @public */
export interface EmitterLike {
  /** Add a listener. */
  on(name: string | symbol, listener: (...args: unknown[]) => void): unknown;
  /** Remove a listener (used when present). */
  off?(name: string | symbol, listener: (...args: unknown[]) => void): unknown;
  /** Remove a listener (used when `off` is missing). */
  removeListener?(name: string | symbol, listener: (...args: unknown[]) => void): unknown;
}

/** A DOM-style target: `addEventListener`/`removeEventListener` (AbortSignal, WebSocket, MessagePort…). @public */
export interface EventTargetLike {
  /** Add a listener. */
  addEventListener(name: string, listener: (event: unknown) => void): unknown;
  /** Remove a listener. */
  removeEventListener(name: string, listener: (event: unknown) => void): unknown;
}

type Source = EmitterLike | EventTargetLike;

function isTarget(source: Source): source is EventTargetLike {
  return typeof (source as EventTargetLike).addEventListener === "function" && typeof (source as EventTargetLike).removeEventListener === "function";
}

function isEmitter(source: Source): source is EmitterLike {
  const s = source as EmitterLike;
  return typeof s.on === "function" && (typeof s.off === "function" || typeof s.removeListener === "function");
}

/** The next `name` event of one source: decided by the event (or the emitter's "error"), the same for every waiter. */
class EventOp<T> extends HostOp<T> {
  private subscribed = false;

  constructor(
    private readonly source: Source,
    private readonly name: string | symbol,
    private readonly allArgs: boolean,
  ) {
    super();
  }

  private readonly onEvent = (...args: unknown[]): void => {
    if (this.hasOutcome) return;
    this.undo(); // nothing to take back any more: the event is the outcome
    this.settle(Poll.ready((this.allArgs ? args : args[0]) as T));
  };

  private readonly onError = (error: unknown): void => {
    if (this.hasOutcome) return;
    this.undo();
    this.fail(error);
  };

  poll(cx: Context): Poll<T> {
    if (this.hasOutcome) return this.serve(cx.waker);
    if (!this.subscribed) this.subscribe();
    this.park(cx);
    return Poll.pending;
  }

  /** Stop listening (the last waiter left, or the event came). */
  protected override undo(): void {
    this.unsubscribe();
    this.release();
  }

  describe(): string {
    const source = (this.source as { constructor?: { name?: string } }).constructor?.name ?? "emitter";
    return `${this.allArgs ? "fromEventArgs" : "fromEvent"}(${source}, ${String(this.name)})`;
  }

  private subscribe(): void {
    this.subscribed = true;
    const source = this.source;
    if (isTarget(source)) {
      source.addEventListener(this.name as string, this.onEvent);
      return;
    }
    source.on(this.name, this.onEvent);
    // As events.once(): an emitter's "error" event fails the wait for any other event.
    if (this.name !== "error") source.on("error", this.onError);
  }

  private unsubscribe(): void {
    if (!this.subscribed) return;
    this.subscribed = false;
    const source = this.source;
    if (isTarget(source)) {
      source.removeEventListener(this.name as string, this.onEvent);
      return;
    }
    const off = (typeof source.off === "function" ? source.off : source.removeListener) as (n: string | symbol, l: (...a: unknown[]) => void) => unknown;
    off.call(source, this.name, this.onEvent);
    if (this.name !== "error") off.call(source, "error", this.onError);
  }
}

function check(source: unknown, name: unknown, who: string): void {
  if (source === null || typeof source !== "object" || (!isTarget(source as Source) && !isEmitter(source as Source))) {
    throw new TypeError(`${who} needs an EventEmitter (on/off) or an EventTarget (addEventListener/removeEventListener), not ${describeValue(source)}`);
  }
  if (typeof name !== "string" && typeof name !== "symbol") throw new TypeError(`${who} needs an event name (a string or symbol), not ${describeValue(name)}`);
  if (isTarget(source as Source) && typeof name !== "string") throw new TypeError(`${who}: an EventTarget's event names are strings, not ${describeValue(name)}`);
}

/**
 * A future of the next `name` event of an EventEmitter or an EventTarget, ready with the
 * event's **first argument** (the `Event` object for an EventTarget). For all the arguments
 * of a multi-argument emitter event use {@link fromEventArgs}.
 *
 * On an EventEmitter, an `"error"` event that comes first is thrown at the yield (as Node's
 * `events.once` does). The listener is attached at the first poll, not before: an event
 * emitted before the task waits is not seen. A cancelled wait removes its listener. While it
 * waits it counts as outside work (the runtime cannot know who will emit).
 *
 * ```ts
 * const socket = net.connect(port);
 * yield* fromEvent(socket, "connect");
 * const message = yield* fromEvent<MessageEvent>(port, "message");
 * ```
 * @public
 */
export function fromEvent<T = unknown>(source: EmitterLike | EventTargetLike, name: string | symbol): Op<T> {
  check(source, name, "fromEvent()");
  return new EventOp<T>(source, name, false);
}

/** {@link fromEvent}, ready with every argument of the event as an array. @public */
export function fromEventArgs<A extends unknown[] = unknown[]>(source: EmitterLike | EventTargetLike, name: string | symbol): Op<A> {
  check(source, name, "fromEventArgs()");
  return new EventOp<A>(source, name, true);
}

// The only file that touches the host: its clock, its timers, its macrotask queue and (where
// the host has one) its "about to exit" signal. Everything is feature-detected, so the core
// runs unchanged in Node, Deno, Bun and browsers, and type-checks with no host types at all.

interface HostGlobals {
  setTimeout?(callback: () => void, ms: number): unknown;
  clearTimeout?(handle: unknown): void;
  setImmediate?(callback: () => void): unknown;
  MessageChannel?: new () => {
    port1: { onmessage: ((event: unknown) => void) | null; close?(): void };
    port2: { postMessage(message: unknown): void; close?(): void };
  };
  performance?: { now(): number };
  process?: {
    on?(event: string, listener: () => void): unknown;
    removeListener?(event: string, listener: () => void): unknown;
  };
}

// The host's own object, so its functions are called with the `this` they expect (a browser's
// setTimeout throws on any other); typed as what this file may use, each part feature-detected.
const host = globalThis as HostGlobals & typeof globalThis;

/** Milliseconds from a monotonic origin (performance.now where the host has it). */
export const monotonicNow: () => number =
  host.performance !== undefined && typeof host.performance.now === "function"
    ? () => (host.performance as { now(): number }).now()
    : () => Date.now();

/**
 * Run `callback` in a later turn of the host event loop (a macrotask, never a microtask, so
 * I/O callbacks and timers get their turn first: rule 7).
 */
export const macrotask: (callback: () => void) => void = pickMacrotask();

function pickMacrotask(): (callback: () => void) => void {
  if (typeof host.setImmediate === "function") {
    const setImmediate = host.setImmediate;
    return (cb) => void setImmediate(cb);
  }
  if (typeof host.MessageChannel === "function") {
    // Browsers: a MessageChannel post is a macrotask without setTimeout's 4 ms clamp.
    const channel = new host.MessageChannel();
    const pending: (() => void)[] = [];
    channel.port1.onmessage = () => {
      const cb = pending.shift();
      if (cb !== undefined) cb();
    };
    return (cb) => {
      pending.push(cb);
      channel.port2.postMessage(0);
    };
  }
  return (cb) => void hostTimeout(cb, 0);
}

/** Arm one host timer; returns a handle for {@link cancelHostTimer}. */
export function hostTimeout(callback: () => void, ms: number): unknown {
  if (typeof host.setTimeout !== "function") throw new Error("this host has no setTimeout: use a virtual clock");
  return host.setTimeout(callback, ms);
}

export function cancelHostTimer(handle: unknown): void {
  if (typeof host.clearTimeout === "function") host.clearTimeout(handle);
}

/** Listeners waiting for the host to run out of work; one host listener serves them all. */
const idleListeners = new Set<() => boolean>();
let idleHooked = false;

function onBeforeExit(): void {
  let acted = false;
  for (const listener of Array.from(idleListeners)) if (listener()) acted = true;
  // Node emits beforeExit again only if the loop is alive afterwards. A listener that acted
  // (rejected a run) lets code continue, maybe into another run that deadlocks too: keep the
  // loop alive one more turn so that one is reported as well, not left to a silent exit.
  if (acted) macrotask(noop);
}

function noop(): void {}

/**
 * Call `listener` if the host is about to exit because nothing is left in its event loop
 * (Node's `beforeExit`; again each time the loop empties). The listener returns true when it
 * acted on it. Returns a function that removes the listener. Hosts without such a signal
 * (browsers never exit) make this a no-op.
 */
export function onHostIdle(listener: () => boolean): () => void {
  const proc = host.process;
  if (proc === undefined || typeof proc.on !== "function") return () => {};
  if (!idleHooked) {
    idleHooked = true;
    proc.on("beforeExit", onBeforeExit);
  }
  idleListeners.add(listener);
  return () => void idleListeners.delete(listener);
}

// Shared doubles for the combinator specs: a worker that logs when it finishes, unwinds and
// cleans up (optionally after a delay), and a way to run a body on a fresh virtual clock.

import { Runtime, shield, sleep } from "../../lib/index";
import type { Operation, RuntimeOptions } from "../../lib/index";

/** An error that names the worker that threw it. */
export class Boom extends Error {
  override readonly name = "Boom";
}

export interface WorkerPlan {
  /** Sleep this long, then finish. */
  ms: number;
  /** Throw a Boom instead of returning the name. */
  fail?: boolean;
  /** Sleep this long inside the finally block (asynchronous cleanup, shielded so a cancelled worker still waits). */
  cleanupMs?: number;
  /** Throw this from the finally block. */
  cleanupError?: unknown;
}

/** A worker that logs "<name> done" / "<name> finally" (and "<name> cleaned" after async cleanup). */
export function* worker(log: string[], name: string, plan: WorkerPlan) {
  try {
    yield* sleep(plan.ms);
    if (plan.fail) throw new Boom(`${name} failed`);
    log.push(`${name} done`);
    return name;
  } finally {
    log.push(`${name} finally`);
    if (plan.cleanupMs !== undefined) {
      yield* shield(sleep(plan.cleanupMs)); // a cancelled task cannot wait unless shielded (rule 8)
      log.push(`${name} cleaned`);
    }
    if (plan.cleanupError !== undefined) throw plan.cleanupError; // eslint-disable-line no-unsafe-finally -- a failing cleanup is what some specs test
  }
}

/** A runtime on a virtual clock. */
export function virtual(options: Omit<RuntimeOptions, "clock"> = {}): Runtime {
  return new Runtime({ ...options, clock: "virtual" });
}

/** What a main task ended with: its value or its error, and the clock when it ended. */
export interface Outcome<T> {
  value?: T;
  error?: unknown;
  at: number;
  rt: Runtime;
}

/** Run `main` as the only task of a fresh virtual runtime, to the end; what it ended with. */
export function outcome<T>(main: () => Operation<T>, options: Omit<RuntimeOptions, "clock"> = {}): Outcome<T> {
  const rt = virtual(options);
  const result: Outcome<T> = { at: -1, rt };
  rt.spawn(function* () {
    try {
      result.value = yield* main();
    } catch (error) {
      result.error = error;
    } finally {
      result.at = rt.now();
    }
  });
  rt.runSync();
  return result;
}

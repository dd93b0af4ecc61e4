// Random small programs for the trace specs: a few tasks that sleep, yield, spawn and join
// children, abort each other, fail, and poll futures that throw, on a virtual clock with
// tracing on. Their traces hold every kind of event the core emits, so the renderers are
// checked against real runs.

import fc from "fast-check";
import { pollFn, Poll, Runtime, sleep, spawn, yieldNow, type JoinHandle, type Operation, type TraceEvent } from "../../../lib/index";

/** One thing a task does. */
export type Action =
  | { do: "sleep"; ms: number }
  | { do: "yield" }
  | { do: "spawn"; actions: Action[] }
  | { do: "join" }
  | { do: "abort" }
  | { do: "throw" }
  | { do: "badPoll" };

const leaf: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ do: fc.constant("sleep" as const), ms: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ do: fc.constant("yield" as const) }),
  fc.record({ do: fc.constant("join" as const) }),
  fc.record({ do: fc.constant("abort" as const) }),
  fc.record({ do: fc.constant("throw" as const) }),
  fc.record({ do: fc.constant("badPoll" as const) }),
);

/** A task's actions; children nest at most two deep. */
export const actionsArbitrary: fc.Arbitrary<Action[]> = fc.letrec<{ list: Action[]; action: Action }>((tie) => ({
  list: fc.array(tie("action"), { maxLength: 5 }),
  action: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, leaf, fc.record({ do: fc.constant("spawn" as const), actions: tie("list") })),
})).list;

/** Runs `actions` as the body of a task: spawned children are joined or aborted in LIFO order. */
function* perform(actions: Action[]): Operation<void> {
  const children: JoinHandle<void>[] = [];
  try {
    for (const a of actions) {
      if (a.do === "sleep") yield* sleep(a.ms);
      else if (a.do === "yield") yield* yieldNow();
      else if (a.do === "spawn") children.push(spawn(perform(a.actions), { name: `child${children.length}` }));
      else if (a.do === "join") {
        const c = children.pop();
        if (c !== undefined) {
          try {
            yield* c;
          } catch {
            // a child's failure or cancellation is expected here
          }
        } else yield* pollFn((cx) => (cx.waker.wake(), Poll.ready(undefined)));
      } else if (a.do === "abort") children.pop()?.abort();
      else if (a.do === "badPoll") {
        try {
          yield* pollFn((): Poll<void> => {
            throw new Error("poll failed");
          });
        } catch {
          // the poll's error arrives at the yield; this task carries on
        }
      }
      else throw new Error("planned failure");
    }
  } finally {
    for (const c of children) c.abort();
  }
}

/** The trace of one run of `actions` as the main task (and a second, independent task). */
export function traceOf(actions: Action[], other: Action[] = []): TraceEvent[] {
  const rt = new Runtime({ clock: "virtual", trace: true, onTaskError: () => {} });
  rt.spawn(perform(actions), { name: "main" });
  if (other.length > 0) rt.spawn(perform(other));
  rt.runSync();
  return rt.trace as TraceEvent[];
}

/** A trace with every kind of event: spawns, polls, parks, timers, wakes by a task, an abort, a failure. */
export function richTrace(): TraceEvent[] {
  return traceOf(
    [
      { do: "spawn", actions: [{ do: "sleep", ms: 10 }, { do: "yield" }, { do: "sleep", ms: 5 }] },
      { do: "spawn", actions: [{ do: "sleep", ms: 100 }] },
      { do: "sleep", ms: 5 },
      { do: "abort" },
      { do: "join" },
    ],
    [{ do: "yield" }, { do: "badPoll" }, { do: "throw" }],
  );
}

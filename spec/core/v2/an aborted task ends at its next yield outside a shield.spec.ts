// Issue 9, "Done when" property (b), rule 8: abort() throws a CancelledError into the task once;
// after that, outside shield(), any yield of the task (ready future or not) ends it: return() at
// that yield and on every frame below (nested yield*, call() frames), finally blocks run, and a
// yield inside a finally ends that finally the same way. shield(body) runs body to its end, waits
// included. Random programs mix catch-all retry loops, nested yield*, call() frames, finally
// blocks that yield ready and waiting futures, and shields; aborts come at random moments. From
// the log the program writes, the property checks:
//   - the CancelledError is thrown into the task at most once;
//   - after it, once the task reaches a yield outside a shield, no code after that yield runs:
//     no yield resumes, no catch runs, no loop goes round; only finally blocks (their synchronous
//     parts, and shields inside them) run. One allowance: a shield awaited in such a finally
//     delivers its value, and since native yield* then forgets the return() in progress, the
//     frames above may run on until the next unshielded yield, which ends the task again (still
//     no yield resumes and no catch runs);
//   - every shield that started ran to its end, and its value was delivered;
//   - the task ends, and its joiner gets a CancelledError if the abort came before it finished.
//
// How it failed before Core v2: there was no shield() (this spec does not compile against that
// core), and a catch-all loop whose body's finally yields swallowed the cancellation and went
// round again (NOTES §1b's trap): code after an aborted yield* ran and loops retried after the
// abort.

import { expect } from "chai";
import fc from "fast-check";
import { CancelledError, Runtime, call, ready, shield, sleep, yieldNow } from "../../../lib/index";
import type { Operation } from "../../../lib/index";

/** A program: a tree of the constructs rule 8 has to unwind. Leaves yield once. */
type Node =
  | { t: "ready" }
  | { t: "turn" } // yield* yieldNow(), which the driver carries out without polling
  | { t: "wait"; ms: number }
  | { t: "seq"; items: Node[] }
  | { t: "nest"; body: Node } // a native yield* into another generator
  | { t: "call"; body: Node } // a call() frame the driver owns
  | { t: "finally"; body: Node; cleanup: Leaf[] }
  | { t: "catchAll"; body: Node }
  | { t: "loop"; n: number; body: Node } // a catch-all retry loop
  | { t: "shield"; body: Node };
/** What a finally block does: yield a ready or a waiting future, or shield a few yields. */
type Leaf = { t: "ready" } | { t: "turn" } | { t: "wait"; ms: number } | { t: "shield"; body: Node };

const yieldArb: fc.Arbitrary<Node> = fc.oneof(
  fc.constant({ t: "ready" as const }),
  fc.constant({ t: "turn" as const }),
  fc.record({ t: fc.constant("wait" as const), ms: fc.integer({ min: 1, max: 4 }) }),
);
const shieldBodyArb: fc.Arbitrary<Node> = fc.array(yieldArb, { minLength: 1, maxLength: 3 }).map((items) => ({ t: "seq" as const, items }));
const leafArb: fc.Arbitrary<Leaf> = fc.oneof(
  fc.constant({ t: "ready" as const }),
  fc.constant({ t: "turn" as const }),
  fc.record({ t: fc.constant("wait" as const), ms: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ t: fc.constant("shield" as const), body: shieldBodyArb }),
);

const { node: nodeArb } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    yieldArb,
    fc.record({ t: fc.constant("seq" as const), items: fc.array(tie("node"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ t: fc.constant("nest" as const), body: tie("node") }),
    fc.record({ t: fc.constant("call" as const), body: tie("node") }),
    fc.record({ t: fc.constant("finally" as const), body: tie("node"), cleanup: fc.array(leafArb, { maxLength: 3 }) }),
    fc.record({ t: fc.constant("catchAll" as const), body: tie("node") }),
    fc.record({ t: fc.constant("loop" as const), n: fc.integer({ min: 1, max: 4 }), body: tie("node") }),
    fc.record({ t: fc.constant("shield" as const), body: tie("node") }),
  ),
}));

/** One log line. `shielded`: written inside a shield's body, where the task runs as if not cancelled. */
interface Entry {
  task: number;
  what: "before" | "after" | "threw" | "caught" | "iteration" | "finally" | "shield start" | "shield end" | "shield value" | "returned";
  site: number;
  shielded: boolean;
  detail?: string;
}

/** Runs a program as a task's body, writing what happens into a log shared by every task. */
class Interpreter {
  private sites = 0;
  constructor(
    readonly task: number,
    private readonly log: Entry[],
  ) {}

  private write(what: Entry["what"], site: number, shielded: boolean, detail?: string): void {
    const e: Entry = { task: this.task, what, site, shielded };
    if (detail !== undefined) e.detail = detail;
    this.log.push(e);
  }

  /** One yield, logged before and after (or where it threw). */
  *yieldOne(node: { t: "ready" } | { t: "turn" } | { t: "wait"; ms: number }, shielded: boolean): Operation<void> {
    const site = ++this.sites;
    this.write("before", site, shielded, node.t);
    try {
      if (node.t === "ready") yield* ready(site);
      else if (node.t === "turn") yield* yieldNow();
      else yield* sleep(node.ms);
    } catch (error) {
      this.write("threw", site, shielded, (error as Error).name);
      throw error;
    }
    this.write("after", site, shielded);
  }

  *run(node: Node, shielded: boolean): Operation<void> {
    switch (node.t) {
      case "ready":
      case "turn":
      case "wait":
        yield* this.yieldOne(node, shielded);
        return;
      case "seq":
        for (const item of node.items) yield* this.run(item, shielded);
        return;
      case "nest":
        yield* this.nested(node.body, shielded);
        return;
      case "call":
        yield* call(() => this.nested(node.body, shielded));
        return;
      case "finally": {
        const site = ++this.sites;
        try {
          yield* this.run(node.body, shielded);
        } finally {
          this.write("finally", site, shielded);
          for (const leaf of node.cleanup) {
            if (leaf.t === "shield") yield* this.shielded(leaf.body, shielded);
            else yield* this.yieldOne(leaf, shielded);
          }
        }
        return;
      }
      case "catchAll": {
        const site = ++this.sites;
        try {
          yield* this.run(node.body, shielded);
        } catch (error) {
          this.write("caught", site, shielded, (error as Error).name);
        }
        return;
      }
      case "loop": {
        const site = ++this.sites;
        for (let i = 0; i < node.n; i++) {
          this.write("iteration", site, shielded, String(i));
          try {
            yield* this.run(node.body, shielded);
          } catch (error) {
            this.write("caught", site, shielded, (error as Error).name);
          }
        }
        return;
      }
      case "shield":
        yield* this.shielded(node.body, shielded);
        return;
    }
  }

  *nested(body: Node, shielded: boolean): Operation<void> {
    yield* this.run(body, shielded);
  }

  *shielded(body: Node, outer: boolean): Operation<void> {
    const site = ++this.sites;
    const self = this;
    const value = yield* shield(function* () {
      self.write("shield start", site, true);
      yield* self.run(body, true);
      self.write("shield end", site, true);
      return site;
    });
    this.write("shield value", site, outer, String(value));
  }
}

interface Victim {
  program: Node;
  abortAt: number | "never";
}

const victimArb: fc.Arbitrary<Victim> = fc.record({ program: nodeArb, abortAt: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant("never" as const)) });

/** Check one task's log against rule 8. `abortAt` is the index in the shared log where abort() was called. */
function checkLog(log: Entry[], task: number, abortIndex: number | undefined): void {
  const mine = log.map((e, i) => ({ ...e, i })).filter((e) => e.task === task);
  const where = (e: Entry & { i: number }): string => `entry ${e.i} (${e.what} at site ${e.site}${e.shielded ? ", shielded" : ""})`;

  // Every shield that started ran to its end and delivered its value (unless the task was ended
  // between shield end and delivery, which cannot happen: delivery is synchronous).
  const starts = mine.filter((e) => e.what === "shield start").map((e) => e.site);
  const ends = new Set(mine.filter((e) => e.what === "shield end").map((e) => e.site));
  const values = new Set(mine.filter((e) => e.what === "shield value").map((e) => e.site));
  for (const s of starts) {
    expect(ends.has(s), `shield ${s} started but did not run to its end`).to.equal(true);
    expect(values.has(s), `shield ${s} ended but its value was not delivered`).to.equal(true);
  }

  if (abortIndex === undefined) {
    expect(mine.some((e) => e.what === "threw" && e.detail === "CancelledError"), "a CancelledError without an abort").to.equal(false);
    return;
  }
  // Every yield goes through yieldOne, which logs a throw where it arrives: one entry per delivery.
  const throws = mine.filter((e) => e.what === "threw" && e.detail === "CancelledError" && !e.shielded);
  expect(throws.length, "the CancelledError was thrown into the task more than once").to.be.at.most(1);
  expect(mine.some((e) => e.shielded && e.what === "threw" && e.detail === "CancelledError"), "a CancelledError reached shielded code").to.equal(false);

  // After the abort: at most one unshielded yield resumes normally before the throw (a value
  // decided before the cancellation arrived), and none after it.
  const afterAbort = mine.filter((e) => e.i > abortIndex);
  const throwAt = throws.length === 1 ? throws[0]!.i : Infinity;
  const resumedBefore = afterAbort.filter((e) => e.what === "after" && !e.shielded && e.i < throwAt);
  expect(resumedBefore.length, `yields resumed after the abort: ${resumedBefore.map(where).join(", ")}`).to.be.at.most(1);
  // A yieldNow decides nothing while the task waits its turn: one the task was suspended at when
  // the abort came must end with the CancelledError, not resume.
  for (const r of resumedBefore) {
    const reached = mine.filter((e) => e.i < r.i && e.site === r.site && e.what === "before").pop();
    if (reached !== undefined && reached.detail === "turn" && reached.i < abortIndex) {
      expect.fail(`the yieldNow at ${where(reached)} resumed after the abort (${where(r)}): it must throw the CancelledError`);
    }
  }

  // Once cancelled and at a yield outside a shield, the task ends there: find the first
  // unshielded "before" after the throw (or, with no throw, after the abort and after any
  // resumption allowed above).
  const from = Number.isFinite(throwAt) ? throwAt : resumedBefore.length > 0 ? resumedBefore[0]!.i : abortIndex;
  const ending = afterAbort.find((e) => e.i > from && e.what === "before" && !e.shielded);
  if (ending === undefined) return;
  // Every suspension point is a logged yield or a shield, so a task that reached an unshielded
  // yield after its abort had the CancelledError thrown into it first (there, or earlier).
  expect(throwAt, `the task reached ${where(ending)} after its abort without the CancelledError being thrown`).to.be.at.most(ending.i);
  // From there on only finally blocks run (their synchronous parts, and shields in them). A
  // shield's value is delivered to the finally that awaited it, and native yield* then forgets the
  // return() in progress (NOTES §1), so the frames above run on until the task's next yield
  // outside a shield, which ends it again. What never happens: an unshielded yield resuming, a
  // catch running, another throw.
  let at = ending;
  let afterShield = false;
  for (const e of afterAbort.filter((x) => x.i > ending.i)) {
    if (e.shielded) continue;
    if (e.what === "before") {
      at = e;
      afterShield = false;
      continue;
    }
    if (e.what === "shield value") {
      afterShield = true;
      continue;
    }
    if (e.what === "finally") continue;
    if (afterShield && (e.what === "iteration" || e.what === "returned")) continue;
    expect.fail(`code ran after the cancelled task reached the yield at ${where(at)}: ${where(e)}${e.detail ? ` ${e.detail}` : ""}`);
  }
}

describe("Core v2 · property (b): an aborted task ends at its next yield outside a shield", () => {
  it("ends every aborted task at its next unshielded yield; no code after such a yield runs; shields run to their end", () => {
    fc.assert(
      fc.property(fc.array(victimArb, { minLength: 1, maxLength: 3 }), (victims) => {
        const rt = new Runtime({ clock: "virtual" });
        const log: Entry[] = [];
        const abortIndex = new Map<number, number>();
        const abortedBeforeEnd = new Map<number, boolean>();
        const handles = victims.map((v, k) => {
          const it = new Interpreter(k, log);
          return rt.spawn(function* () {
            yield* it.run(v.program, false);
            log.push({ task: k, what: "returned", site: 0, shielded: false });
            return "finished";
          }, { name: `V${k}` });
        });
        const joined: unknown[] = [];
        handles.forEach((h, k) => {
          rt.spawn(function* () {
            try {
              joined[k] = yield* h;
            } catch (error) {
              joined[k] = error;
            }
          });
        });
        victims.forEach((v, k) => {
          if (v.abortAt === "never") return;
          const at = v.abortAt;
          rt.spawn(function* () {
            if (at > 0) yield* sleep(at);
            abortedBeforeEnd.set(k, !handles[k]!.finished);
            abortIndex.set(k, log.length);
            handles[k]!.abort();
          });
        });
        rt.runSync(); // the end of runSync() waits for shielded work too
        expect(rt.metrics.live, "every task ended").to.equal(0);
        victims.forEach((_, k) => {
          expect(handles[k]!.finished).to.equal(true);
          const mine = log.filter((e) => e.task === k);
          const thrown = mine.some((e) => e.what === "threw" && e.detail === "CancelledError");
          const returned = mine.some((e) => e.what === "returned");
          if (abortedBeforeEnd.get(k) !== true) expect(joined[k]).to.equal("finished");
          else if (thrown || !returned) expect(joined[k], `V${k} was aborted before it ended`).to.be.instanceOf(CancelledError);
          // else: aborted while inside a shield, then returned without yielding again, so the
          // CancelledError was never thrown; the contract does not say whether the value stands.
          checkLog(log, k, abortedBeforeEnd.get(k) === true ? abortIndex.get(k) : undefined);
        });
      }),
      { numRuns: 400 },
    );
  });

  it("ends the NOTES §1b trap at once: a catch-all loop whose body's finally yields a ready future", () => {
    const rt = new Runtime({ clock: "virtual" });
    const log: string[] = [];
    function* op(): Operation<void> {
      try {
        yield* sleep(10);
      } finally {
        yield* ready("ack");
        log.push("after the ready yield in finally");
      }
    }
    const h = rt.spawn(function* () {
      for (let i = 0; i < 50; i++) {
        log.push(`round ${i}`);
        try {
          yield* op();
          log.push("after op");
        } catch (error) {
          log.push(`caught ${(error as Error).name}`);
        }
      }
    });
    rt.spawn(function* () {
      yield* sleep(1);
      h.abort();
    });
    rt.runSync();
    // Round 0: the CancelledError is thrown at the sleep; op's finally yields ready("ack"), and
    // that yield ends the task: nothing after it runs, no catch, no round 1.
    expect(log).to.deep.equal(["round 0"]);
    expect(rt.now()).to.equal(1);
  });

  it("runs a shield in a finally block of an aborted task to its end, waits included, then ends at the next yield", () => {
    const rt = new Runtime({ clock: "virtual" });
    const log: string[] = [];
    const h = rt.spawn(function* () {
      try {
        yield* sleep(100);
      } finally {
        const v = yield* shield(function* () {
          yield* sleep(5);
          log.push(`flushed at ${rt.now()}`);
          return "flushed";
        });
        log.push(`shield gave ${v}`);
        yield* ready(1);
        log.push("after the next yield");
      }
    });
    rt.spawn(function* () {
      yield* sleep(2);
      h.abort();
    });
    rt.runSync();
    expect(log).to.deep.equal(["flushed at 7", "shield gave flushed"]);
  });
});

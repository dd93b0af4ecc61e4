// Properties over random trees of combinators (join, all, allSettled, race, select, scope) whose
// leaves sleep, fail and clean up asynchronously, on a virtual clock, sometimes with the waiting
// task aborted midway: every leaf finishes exactly once, nothing is left running when the root
// combinator returns, and any error thrown is one a leaf threw.

import { expect } from "chai";
import fc from "fast-check";
import { CancelledError, Op, Poll, all, allSettled, join, race, scope, select, sleep } from "../../lib/index";
import type { Body, Context, Future, Operation } from "../../lib/index";
import { virtual } from "./helpers";

type Leaf = { kind: "leaf"; ms: number; fail: boolean; cleanupMs: number; inline: boolean };
type Combo = { kind: "all" | "join" | "race" | "select" | "allSettled" | "scope"; children: Tree[] };
type Tree = Leaf | Combo;

const { combo: tree } = fc.letrec<{ tree: Tree; leaf: Leaf; combo: Combo }>((tie) => ({
  tree: fc.oneof({ maxDepth: 3, depthIdentifier: "tree" }, tie("leaf"), tie("combo")),
  leaf: fc.record({
    kind: fc.constant("leaf" as const),
    ms: fc.integer({ min: 0, max: 20 }),
    fail: fc.integer({ min: 0, max: 3 }).map((n) => n === 0), // one leaf in four fails
    cleanupMs: fc.integer({ min: 0, max: 4 }),
    inline: fc.boolean(),
  }),
  combo: fc.record({
    kind: fc.constantFrom("all" as const, "join" as const, "race" as const, "select" as const, "allSettled" as const, "scope" as const),
    children: fc.array(tie("tree"), { minLength: 1, maxLength: 4, depthIdentifier: "tree" }),
  }),
}));

class LeafError extends Error {
  constructor(readonly id: number) {
    super(`leaf ${id} failed`);
  }
}

/** What happened to one leaf. */
interface Record {
  started: number;
  /** Task leaves: times the outermost finally ran. */
  finallies: number;
  /** Inline leaves: polls and endings (ready, threw, or dropped). Both: events after the end or after the root returned. */
  polls: number;
  ends: number;
  late: number;
}

/** Set when the root combinator has returned: no leaf may end after that. */
const clock = { rootReturned: false };

function* taskLeaf(rec: Record, leaf: Leaf, id: number) {
  rec.started++;
  try {
    try {
      yield* sleep(leaf.ms);
      if (leaf.fail) throw new LeafError(id);
      return id;
    } finally {
      // An abort that lands while this cleanup sleeps (the leaf had finished normally) cuts it
      // short: cancellation is delivered at the next yield. The outer finally still runs.
      if (leaf.cleanupMs > 0) yield* sleep(leaf.cleanupMs);
    }
  } finally {
    rec.finallies++;
    if (clock.rootReturned) rec.late++;
  }
}

/** A leaf polled inline by its combinator: a sleep that counts how it ends. */
class InlineLeaf extends Op<number> {
  private inner: Future<void> | undefined = undefined;
  constructor(
    private readonly rec: Record,
    private readonly leaf: Leaf,
    private readonly id: number,
  ) {
    super();
  }
  poll(cx: Context): Poll<number> {
    const rec = this.rec;
    if (rec.ends > 0 || clock.rootReturned) rec.late++;
    rec.polls++;
    const inner = (this.inner ??= sleep(this.leaf.ms));
    if (!inner.poll(cx).ready) return Poll.pending;
    rec.ends++;
    if (this.leaf.fail) throw new LeafError(this.id);
    return Poll.ready(this.id);
  }
  drop(cx: Context): void {
    // A drop after the leaf completed is its combinator discarding the value: there is nothing
    // to give back, and it is no second ending.
    if (this.rec.ends > 0) return;
    this.inner?.drop?.(cx);
    if (clock.rootReturned) this.rec.late++;
    this.rec.ends++;
  }
}

function build(t: Tree, records: Record[], failing: Set<number>): Body<unknown> {
  if (t.kind === "leaf") {
    const id = records.length;
    const rec: Record = { started: 0, finallies: 0, polls: 0, ends: 0, late: 0 };
    records.push(rec);
    if (t.fail) failing.add(id);
    return t.inline ? new InlineLeaf(rec, t, id) : taskLeaf(rec, t, id);
  }
  const kids = t.children.map((c) => build(c, records, failing));
  switch (t.kind) {
    case "all":
      return all(kids);
    case "join":
      return join(...kids);
    case "race":
      return race(...kids);
    case "allSettled":
      return allSettled(kids);
    case "select":
      return select(Object.fromEntries(kids.map((k, i) => [`k${i}`, k])));
    case "scope":
      return scope(function* (s) {
        for (const k of kids) s.spawn(k);
        return "scope";
      });
  }
}

/** Every body build() makes is a generator object or an Op: either can be delegated to. */
function operationOf(body: Body<unknown>): Operation<unknown> {
  return body as Operation<unknown>;
}

/** True for an error a leaf threw, or an AggregateError made only of such errors. */
function isLeafError(error: unknown, failing: Set<number>): boolean {
  if (error instanceof LeafError) return failing.has(error.id);
  if (error instanceof AggregateError) return error.errors.length > 1 && error.errors.every((e) => isLeafError(e, failing));
  return false;
}

describe("combinator properties", () => {
  it("every leaf finishes exactly once, nothing outlives the root combinator, and errors come from leaves", () => {
    fc.assert(
      fc.property(tree, fc.option(fc.integer({ min: 0, max: 25 }), { nil: undefined }), (root, abortAt) => {
        const rt = virtual();
        const records: Record[] = [];
        const failing = new Set<number>();
        const body = build(root, records, failing);
        let error: unknown;
        let returned = false;
        let liveAfter = -1;
        clock.rootReturned = false;
        const main = rt.spawn(function* () {
          try {
            yield* operationOf(body);
            returned = true;
          } catch (e) {
            error = e;
          } finally {
            clock.rootReturned = true;
            liveAfter = rt.metrics.live - (aborter === undefined || aborter.finished ? 0 : 1);
          }
        });
        const aborter =
          abortAt === undefined
            ? undefined
            : rt.spawn(function* () {
                yield* sleep(abortAt);
                main.abort();
              });
        rt.runSync();

        expect(liveAfter, "tasks alive (the main task included) when the root combinator returned").to.equal(1);
        expect(rt.metrics.live).to.equal(0);
        expect(rt.metrics.timers, "timers left armed").to.equal(0);
        records.forEach((r, id) => {
          expect(r.started, `leaf ${id} started`).to.be.at.most(1);
          expect(r.finallies, `leaf ${id} finally blocks`).to.equal(r.started);
          expect(r.ends, `leaf ${id} endings`).to.be.at.most(1); // an inline leaf never polled may still be dropped
          if (r.polls > 0) expect(r.ends, `leaf ${id} endings after being polled`).to.equal(1);
          expect(r.late, `leaf ${id}: events after its end or after the root returned`).to.equal(0);
        });
        if (returned) return;
        if (error instanceof CancelledError) {
          expect(abortAt, "a CancelledError only when the main task was aborted").not.to.equal(undefined);
        } else {
          expect(isLeafError(error, failing), `${String(error)} is a leaf's error`).to.equal(true);
        }
      }),
      { numRuns: Number(process.env.COMBINATOR_RUNS ?? 300) },
    );
  });

  it("a tree whose leaves never fail returns the values its shape dictates", () => {
    const calm = tree.map(function noFail(t: Tree): Combo {
      const strip = (n: Tree): Tree => (n.kind === "leaf" ? { ...n, fail: false } : { ...n, children: n.children.map(strip) });
      return strip(t) as Combo;
    });
    fc.assert(
      fc.property(calm, (root) => {
        const records: Record[] = [];
        const body = build(root, records, new Set());
        const rt = virtual();
        let value: unknown;
        rt.spawn(function* () {
          value = yield* operationOf(body);
        });
        rt.runSync();
        expect(fits(root, value, { next: 0 }), JSON.stringify(value)).to.equal(true);
      }),
      { numRuns: Number(process.env.COMBINATOR_RUNS ?? 200) },
    );
  });
});

/** Whether `value` is a possible result of `t` (leaves are numbered in build order). */
function fits(t: Tree, value: unknown, ids: { next: number }): boolean {
  if (t.kind === "leaf") return value === ids.next++;
  const starts: number[] = [];
  const kidIds = t.children.map((c) => {
    const at = { next: ids.next };
    starts.push(at.next);
    ids.next += countLeaves(c);
    return at;
  });
  switch (t.kind) {
    case "all":
    case "join":
      return Array.isArray(value) && value.length === t.children.length && t.children.every((c, i) => fits(c, value[i], kidIds[i] as { next: number }));
    case "allSettled":
      return (
        Array.isArray(value) &&
        t.children.every((c, i) => value[i]?.status === "fulfilled" && fits(c, value[i].value, kidIds[i] as { next: number }))
      );
    case "race":
      return t.children.some((c, i) => fits(c, value, { next: starts[i] as number }));
    case "select": {
      const v = value as { key?: unknown; value?: unknown } | null;
      if (v === null || typeof v !== "object" || typeof v.key !== "string") return false;
      const i = Number(v.key.slice(1));
      if (!(i >= 0 && i < t.children.length)) return false;
      return fits(t.children[i] as Tree, v.value, { next: starts[i] as number });
    }
    case "scope":
      return value === "scope";
  }
}

function countLeaves(t: Tree): number {
  return t.kind === "leaf" ? 1 : t.children.reduce((n, c) => n + countLeaves(c), 0);
}

// scope(function* (s) { … }): children cannot outlive it; it waits for all of them; the first
// failure cancels everything left (the body too) and is rethrown; leaving early cancels the rest.

import { expect } from "chai";
import { CancelledError, pending, scope, sleep } from "../../lib/index";
import type { Scope } from "../../lib/index";
import { Boom, outcome, virtual, worker } from "./helpers";

describe("scope", () => {
  it("returns the body's value only once every child has finished, even after the body returned", () => {
    const log: string[] = [];
    const r = outcome(function* () {
      const v = yield* scope(function* (s) {
        s.spawn(worker(log, "a", { ms: 30 }));
        s.spawn(worker(log, "b", { ms: 10 }));
        log.push("body returns");
        return 42;
      });
      log.push("scope returned");
      return v;
    });
    expect(r.value).to.equal(42);
    expect(r.at).to.equal(30);
    expect(log).to.deep.equal(["body returns", "b done", "b finally", "a done", "a finally", "scope returned"]);
  });

  it("hands out join handles: the body can wait for its children's values", () => {
    const log: string[] = [];
    const r = outcome(() =>
      scope(function* (s) {
        const a = s.spawn(worker(log, "a", { ms: 3 }));
        const b = s.spawn(worker(log, "b", { ms: 5 }));
        return (yield* a) + (yield* b);
      }),
    );
    expect(r.value).to.equal("ab");
  });

  it("a failing child cancels its siblings and the body, and its error (the same object) is rethrown after they unwound", () => {
    const log: string[] = [];
    let boom: unknown;
    const r = outcome(() =>
      scope(function* (s) {
        s.spawn(worker(log, "sibling", { ms: 100, cleanupMs: 2 }));
        s.spawn(function* () {
          yield* sleep(5);
          throw (boom = new Boom("child"));
        });
        try {
          yield* sleep(1000);
        } finally {
          log.push("body finally");
        }
      }),
    );
    expect(r.error).to.equal(boom);
    expect(r.at).to.equal(7);
    expect(log).to.deep.equal(["body finally", "sibling finally", "sibling cleaned"]);
  });

  it("a body that throws cancels every child and rethrows", () => {
    const log: string[] = [];
    const r = outcome(() =>
      scope(function* (s) {
        s.spawn(worker(log, "child", { ms: 100 }));
        yield* sleep(4);
        throw new Boom("body");
      }),
    );
    expect((r.error as Error).message).to.equal("body");
    expect(log).to.deep.equal(["child finally"]);
  });

  it("a child aborted through its handle ends cancelled without failing the scope", () => {
    const log: string[] = [];
    const r = outcome(() =>
      scope(function* (s) {
        const h = s.spawn(worker(log, "aborted", { ms: 100 }));
        s.spawn(worker(log, "kept", { ms: 10 }));
        yield* sleep(1);
        h.abort();
        try {
          yield* h;
        } catch (error) {
          log.push(error instanceof CancelledError ? "joined: cancelled" : "joined: other");
        }
        return "ok";
      }),
    );
    expect(r.value).to.equal("ok");
    expect(log).to.deep.equal(["aborted finally", "joined: cancelled", "kept done", "kept finally"]);
  });

  it("s.abortAll() cancels the children but not the body: the way to leave early on purpose", () => {
    const log: string[] = [];
    const r = outcome(() =>
      scope(function* (s) {
        s.spawn(worker(log, "x", { ms: 100, cleanupMs: 3 }));
        s.spawn(worker(log, "y", { ms: 100 }));
        yield* sleep(2);
        expect(s.size).to.equal(2);
        s.abortAll();
        log.push("body returns");
        return "early";
      }),
    );
    expect(r.value).to.equal("early");
    expect(r.at).to.equal(5);
    expect(log).to.deep.equal(["body returns", "x finally", "y finally", "x cleaned"]);
  });

  it("children may start more children through the scope, and the scope waits for those too", () => {
    const log: string[] = [];
    const r = outcome(() =>
      scope(function* (s) {
        s.spawn(function* () {
          yield* sleep(5);
          s.spawn(worker(log, "grandchild", { ms: 20 }));
        });
        return "body";
      }),
    );
    expect(r.value).to.equal("body");
    expect(r.at).to.equal(25);
    expect(log).to.deep.equal(["grandchild done", "grandchild finally"]);
  });

  it("a task spawned while the scope is being cancelled is cancelled at once, and never runs", () => {
    const log: string[] = [];
    const r = outcome(() =>
      scope(function* (s) {
        s.spawn(function* () {
          try {
            yield* sleep(100);
          } finally {
            s.spawn(worker(log, "late", { ms: 1 }));
            log.push(`spawned while cancelling; size ${s.size}`);
          }
        });
        yield* sleep(1);
        throw new Boom("stop");
      }),
    );
    expect(r.error).to.be.instanceOf(Boom);
    expect(log).to.deep.equal(["spawned while cancelling; size 2"]);
    expect(r.rt.metrics.live).to.equal(0);
  });

  it("refuses spawns once it has ended: children cannot outlive it", () => {
    let leaked: Scope | undefined;
    const r = outcome(function* () {
      yield* scope(function* (s) {
        leaked = s;
      });
      (leaked as Scope).spawn(function* () {});
    });
    expect((r.error as Error).message).to.match(/this scope has ended: a task cannot outlive its scope/);
  });

  it("nests: an inner scope's failure reaches the outer scope through its body and cancels the outer children", () => {
    const log: string[] = [];
    const r = outcome(() =>
      scope(function* (outer) {
        outer.spawn(worker(log, "outer child", { ms: 100 }));
        yield* scope(function* (inner) {
          inner.spawn(worker(log, "inner child", { ms: 100 }));
          inner.spawn(worker(log, "inner failure", { ms: 3, fail: true }));
        });
      }),
    );
    expect((r.error as Error).message).to.equal("inner failure failed");
    expect(log).to.deep.equal(["inner failure finally", "inner child finally", "outer child finally"]);
  });

  it("describes itself for deadlock reports", () => {
    const rt = virtual();
    rt.spawn(function* () {
      yield* scope(function* (s) {
        s.spawn(pending());
        s.spawn(pending());
        yield* pending();
      });
    });
    expect(() => rt.runSync()).to.throw(/waits on scope with 2 children, body running/);
  });

  it("rejects a body that is not a generator function", () => {
    expect(() => scope(5 as never)).to.throw(TypeError, /scope\(\) needs a generator function .*not 5/);
    const r = outcome(() => scope((() => 5) as never));
    expect((r.error as Error).message).to.match(/scope\(\) needs a generator function .*but it returned 5/);
    const r2 = outcome(() =>
      scope(function* (s) {
        s.spawn(7 as never);
      }),
    );
    expect((r2.error as Error).message).to.match(/scope spawn\(\) needs a generator function, an operation or a future, not 7/);
  });
});

// exploreParallel: a portfolio of explorations on worker threads, reported deterministically.

import { expect } from "chai";
import * as path from "node:path";
import { exploreParallel, splitRuns } from "../../lib/testing-node/index";

const fixture = path.join(__dirname, "parallel-fixture");

describe("exploreParallel (Node worker threads)", function () {
  this.timeout(60_000);

  it("reports the first failing entry in portfolio order, the same on every run", async () => {
    const portfolio = [{ strategy: "pct" as const, seed: 3, runs: 1 }, { strategy: "random" as const, seed: 1 }, { strategy: "pb" as const }, { strategy: "pct" as const }];
    const a = await exploreParallel(fixture, "buggy", portfolio, { workers: 2 });
    const b = await exploreParallel(fixture, "buggy", portfolio, { workers: 2 });
    expect(a.ok).to.equal(false);
    expect(a.entries.map((e) => e.entry)).to.deep.equal([0, 1, 2, 3]);
    expect(a.entries[0].ok).to.equal(true); // one FIFO run cannot find it
    expect(a.failure!.entry).to.equal(1);
    expect(a.failure!.failure!.token).to.equal("w1:1");
    expect(a.failure!.failure!.report).to.match(/balance: expected 30/);
    expect(JSON.stringify(b)).to.equal(JSON.stringify(a));
  });

  it("splits one exploration's runs over the workers, seed by seed", async () => {
    expect(splitRuns({ strategy: "random", runs: 1000, seed: 5 }, 2)).to.deep.equal([
      { strategy: "random", runs: 500, seed: 5 },
      { strategy: "random", runs: 500, seed: 6 },
    ]);
    const r = await exploreParallel(fixture, "fixed", splitRuns({ strategy: "random", runs: 400 }, 2), { workers: 2 });
    expect(r.ok).to.equal(true);
    expect(r.schedules).to.equal(400);
  });

  it("names a missing export", async () => {
    let error: unknown;
    try {
      await exploreParallel(fixture, "nope", [{}]);
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/has no function export "nope"/);
  });
});

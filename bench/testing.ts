// `npm run bench:testing`: schedules per second of wakeful/testing against fast-check's
// `fc.scheduler()` on the same small programs, written both as wakeful tasks and as async
// functions whose awaits the fast-check scheduler releases. The correct versions are used, so
// every run goes to its end and both tools run exactly N schedules. One process, one run.
//
//   npm run bench:testing -- [--runs N]
//   npm run bench:testing -- --corpus     (what each strategy finds on spec/testing/literature.ts)

import fc from "fast-check";
import { step, type Runtime } from "../lib/index";
import { explore } from "../lib/testing/index";

interface Program {
  readonly name: string;
  readonly wakeful: (rt: Runtime) => void | (() => void);
  readonly fastCheck: (s: fc.Scheduler) => Promise<void>;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

/** One await that fast-check's scheduler releases (the counterpart of one wakeful step). */
const tick = (s: fc.Scheduler, label: string) => s.schedule(Promise.resolve(), label);

const programs: Program[] = [
  {
    name: "two deposits (2 tasks, 3 steps each)",
    wakeful: (rt) => {
      let balance = 0;
      for (const amount of [10, 20]) {
        rt.spawn(function* () {
          yield* step("validate", "local");
          yield* step("audit", "balance");
          balance += amount;
        });
      }
      return () => check(balance === 30, "balance");
    },
    fastCheck: async (s) => {
      let balance = 0;
      const deposit = async (amount: number) => {
        await tick(s, "validate");
        await tick(s, "audit");
        balance += amount;
      };
      const all = Promise.all([deposit(10), deposit(20)]);
      await s.waitIdle();
      await all;
      check(balance === 30, "balance");
    },
  },
  {
    name: "reorder_5, fixed (5 tasks, 2 steps each)",
    wakeful: (rt) => {
      const v = { a: 0, b: 0 };
      for (let i = 0; i < 4; i++) {
        rt.spawn(function* () {
          yield* step("start", `s${i}`);
          yield* step("set a and b", v);
          v.a = 1;
          v.b = -1;
        });
      }
      rt.spawn(function* () {
        yield* step("start", "checker");
        yield* step("read", v);
        check((v.a === 0 && v.b === 0) || (v.a === 1 && v.b === -1), "reorder");
      });
    },
    fastCheck: async (s) => {
      const v = { a: 0, b: 0 };
      const setter = async () => {
        await tick(s, "start");
        await tick(s, "set a and b");
        v.a = 1;
        v.b = -1;
      };
      const checker = async () => {
        await tick(s, "start");
        await tick(s, "read");
        check((v.a === 0 && v.b === 0) || (v.a === 1 && v.b === -1), "reorder");
      };
      const all = Promise.all([setter(), setter(), setter(), setter(), checker()]);
      await s.waitIdle();
      await all;
    },
  },
  {
    name: "long loop n = 50, fixed (2 tasks, 51 + 1 steps)",
    wakeful: (rt) => {
      let initialised = false;
      rt.spawn(function* () {
        for (let i = 0; i < 50; i++) yield* step("work", "t1");
        initialised = true;
      });
      rt.spawn(function* () {
        yield* step("read", "initialised");
        void initialised;
      });
    },
    fastCheck: async (s) => {
      let initialised = false;
      const t1 = async () => {
        for (let i = 0; i < 50; i++) await tick(s, "work");
        initialised = true;
      };
      const t2 = async () => {
        await tick(s, "read");
        void initialised;
      };
      const all = Promise.all([t1(), t2()]);
      await s.waitIdle();
      await all;
    },
  },
];

/** The corpus table of docs/TESTING.md: schedules each strategy needed, and the proofs of the fixes. */
function corpusTable(): void {
  const { programs } = require("../spec/testing/literature") as typeof import("../spec/testing/literature");
  const found = (r: ReturnType<typeof explore>) => (r.ok ? "—" : String(r.failure!.found.at));
  console.log("| program | pct | random | pb (bound) | dfs | scheduleArbitrary | shrunk: deviations · preemptions | fixed: dfs+dpor / plain dfs |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const p of programs) {
    const pct = explore(p.buggy, {});
    const rnd = explore(p.buggy, { strategy: "random", shrink: false });
    const pb = explore(p.buggy, { strategy: "pb", maxPreemptions: 3, shrink: false });
    const dfs = explore(p.buggy, { strategy: "dfs", shrink: false, runs: 100_000 });
    const arb = fc.check(fc.property(scheduleArbitraryValue(), (schedule) => {
      if (!explore(p.buggy, { replay: schedule, shrink: false }).ok) fail();
    }), { seed: 1 });
    const f = pct.failure!;
    const dev = f.schedule.choices.filter((c) => c !== 0).length;
    const reduced = explore(p.fixed, { strategy: "dfs", runs: 2_000_000 });
    const t = performance.now();
    const full = explore(p.fixed, { strategy: "dfs", reduction: "none", runs: 300_000 });
    const fullText = full.exhausted ? String(full.schedules) : `> ${full.schedules.toLocaleString("en")} (not exhausted, ${Math.round((performance.now() - t) / 1000)} s)`;
    console.log(
      `| ${p.name} | ${found(pct)} | ${found(rnd)} | ${pb.ok ? "—" : `${pb.failure!.found.at} (${pb.failure!.found.preemptions})`} | ${found(dfs)} | ${arb.failed ? `run ${arb.numRuns}` : "not in 100"} | ${dev}${f.report.includes("minimal: no smaller") ? " (proved minimal)" : " (local minimum)"} · ${f.preemptions} | ${reduced.exhausted ? reduced.schedules : "not exhausted"} / ${fullText} |`,
    );
  }
}

function fail(): never {
  throw new Error("the schedule fails");
}

function scheduleArbitraryValue() {
  return (require("../lib/testing/index") as typeof import("../lib/testing/index")).scheduleArbitrary();
}

async function main(): Promise<void> {
  if (process.argv.includes("--corpus")) return corpusTable();
  const i = process.argv.indexOf("--runs");
  const runs = i >= 0 ? Number(process.argv[i + 1]) : 2000;
  console.log(`wakeful/testing vs fast-check fc.scheduler(): ${runs} schedules per program and tool, node ${process.version}\n`);
  for (const p of programs) explore(p.wakeful, { strategy: "random", runs: 200 }); // warm up the JIT first
  await fc.assert(fc.asyncProperty(fc.scheduler(), programs[0].fastCheck), { numRuns: 200 });
  console.log("| program | wakeful random | wakeful pct | fast-check fc.scheduler() | wakeful random ÷ fast-check |");
  console.log("|---|---:|---:|---:|---:|");
  for (const p of programs) {
    const rate = (ms: number) => Math.round((runs / ms) * 1000);
    let t = performance.now();
    const r = explore(p.wakeful, { strategy: "random", runs, seed: 1 });
    const random = rate(performance.now() - t);
    t = performance.now();
    const q = explore(p.wakeful, { strategy: "pct", runs, seed: 1 });
    const pct = rate(performance.now() - t);
    if (!r.ok || !q.ok) throw new Error(`${p.name}: the correct program failed under wakeful`);
    t = performance.now();
    await fc.assert(fc.asyncProperty(fc.scheduler(), p.fastCheck), { numRuns: runs, seed: 1 });
    const fcRate = rate(performance.now() - t);
    console.log(`| ${p.name} | ${random.toLocaleString("en")} /s | ${pct.toLocaleString("en")} /s | ${fcRate.toLocaleString("en")} /s | ${(random / fcRate).toFixed(1)}× |`);
  }
}

void main();

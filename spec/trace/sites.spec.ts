// Yield sites: with `traceSites: true`, a poll event says where its task yielded the future
// ("file:line"), and the machine shows it for the running and the parked task; without the
// option nothing is captured.

import { expect } from "chai";
import { Runtime, sleep, yieldNow, type TraceEvent } from "../../lib/index";
import { machineStates } from "../../lib/trace/index";

/** The line of the caller, as a site string: this file's last two path segments and the line. */
function hereLine(): number {
  return Number(/sites\.spec\.ts:(\d+)/.exec(new Error().stack?.split("\n")[2] ?? "")?.[1]);
}

describe("trace: yield sites", () => {
  it("names the line of each yield* in the poll events, and in the parked task", () => {
    const rt = new Runtime({ clock: "virtual", trace: true, traceSites: true });
    const lines: number[] = [];
    rt.spawn(function* () {
      lines.push(hereLine() + 1);
      yield* sleep(5);
      lines.push(hereLine() + 1);
      yield* yieldNow();
    }, { name: "main" });
    rt.runSync();
    const polls = rt.trace.filter((e) => e.kind === "poll");
    expect(polls.map((e) => e.site)).to.deep.equal([`trace/sites.spec.ts:${lines[0]}`, `trace/sites.spec.ts:${lines[0]}`, `trace/sites.spec.ts:${lines[1]}`, `trace/sites.spec.ts:${lines[1]}`]);
    const parked = machineStates(rt.trace).find((s) => s.parked.length > 0);
    expect(parked?.parked[0]?.site).to.equal(`trace/sites.spec.ts:${lines[0]}`);
  });

  it("captures nothing without the option, and asks for a trace with it", () => {
    const rt = new Runtime({ clock: "virtual", trace: true });
    rt.spawn(function* () {
      yield* sleep(1);
    });
    rt.runSync();
    expect(rt.trace.some((e: TraceEvent) => e.site !== undefined)).to.equal(false);
    expect(() => new Runtime({ traceSites: true })).to.throw(TypeError, /needs trace: true or a trace function/);
    expect(() => new Runtime({ trace: true, traceSites: "yes" as unknown as boolean })).to.throw(TypeError, /traceSites must be a boolean/);
  });
});

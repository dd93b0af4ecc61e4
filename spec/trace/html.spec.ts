import { expect } from "chai";
import fc from "fast-check";
import { Runtime, sleep } from "../../lib/index";
import { htmlTimeline, type TraceEvent } from "../../lib/trace/index";
import { actionsArbitrary, richTrace, traceOf } from "./support/programs";

/** The JSON the page's script reads. */
function dataOf(html: string): { lanes: string[]; moves: [string, number, string, number, string | null, string | null, number[]][] } {
  const m = /<script type="application\/json" id="trace-data">([\s\S]*?)<\/script>/.exec(html);
  expect(m, "the page embeds its data").to.not.equal(null);
  return JSON.parse((m as RegExpExecArray)[1] as string);
}

describe("trace: htmlTimeline(events)", () => {
  it("is one self-contained page: no external script, style, image or font", () => {
    const html = htmlTimeline(richTrace());
    expect(html.startsWith("<!doctype html>")).to.equal(true);
    expect(html).to.not.match(/<script[^>]+src=/);
    expect(html).to.not.match(/<link[^>]+rel="stylesheet"/);
    expect(html).to.not.match(/@import|url\(\s*["']?https?:/);
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<)]+/g)].map((m) => m[0]);
    expect(urls.every((u) => u === "http://www.w3.org/2000/svg"), urls.join(", ")).to.equal(true);
  });

  it("draws one SVG lane per task, labelled, in id order", () => {
    const html = htmlTimeline(richTrace());
    expect([...html.matchAll(/<g class="lane" data-task="(\d+)">/g)].map((m) => Number(m[1]))).to.deep.equal([1, 2, 3, 4]);
    expect(dataOf(html).lanes).to.deep.equal(["#1 main", "#2", "#3 child0", "#4 child1"]);
  });

  it("gives every move a mark with a hover title, and the slider one position per move", () => {
    const events = richTrace();
    const html = htmlTimeline(events);
    const n = dataOf(html).moves.length;
    expect([...html.matchAll(/<g class="mark [^"]*" data-k="\d+"[^>]*><title>/g)]).to.have.length(n);
    expect(html).to.include(`<input id="step" type="range" min="0" max="${n}" value="${n}"`);
    expect(html).to.include("<title>#1 main · t=5 ms · poll sleep(5) until t=5 → Ready</title>");
    expect(htmlTimeline(events, { compact: false })).to.include(`max="${events.length}"`);
  });

  it("gives a poll that threw the whole error message on hover", () => {
    expect(htmlTimeline(richTrace())).to.include("<title>#2 · t=0 ms · poll pollFn → threw Error: poll failed</title>");
  });

  it("escapes task names and details so a trace cannot inject markup", () => {
    const rt = new Runtime({ clock: "virtual", trace: true });
    rt.spawn(function* () {
      yield* sleep(1);
    }, { name: "</script><img src=x onerror=alert(1)>" });
    rt.runSync();
    const html = htmlTimeline(rt.trace, { title: "<b>&</b>" });
    expect(html).to.not.include("<img");
    expect(html).to.include("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(html).to.include("<h1>&lt;b&gt;&amp;&lt;/b&gt;</h1>");
    expect(dataOf(html).lanes).to.deep.equal(["#1 </script><img src=x onerror=alert(1)>"]);
  });

  it("shows the final state of every task without running its script", () => {
    const html = htmlTimeline(richTrace());
    expect(html).to.include('<tr data-lane="1"><td class="label">#2</td><td class="state">finished</td><td class="last">fail: Error: planned failure</td></tr>');
  });

  it("says how to record a trace when there are no events", () => {
    const html = htmlTimeline([]);
    expect(html).to.include("No trace events: create the runtime with <code>{ trace: true }</code>.");
    expect(dataOf(html).moves).to.deep.equal([]);
  });

  it("rejects bad input with errors naming it", () => {
    expect(() => htmlTimeline("trace" as never)).to.throw(TypeError, 'htmlTimeline() needs an array of trace events (runtime.trace), not "trace"');
    expect(() => htmlTimeline([], { title: 1 as never })).to.throw(TypeError, "title must be a string, not 1");
  });

  it("embeds lane state changes that replay to every task finished, for any run (property)", () => {
    fc.assert(
      fc.property(actionsArbitrary, actionsArbitrary, (a, b) => {
        const events: TraceEvent[] = traceOf(a, b);
        const data = dataOf(htmlTimeline(events));
        const state = data.lanes.map(() => 0);
        for (const mv of data.moves) {
          const changes = mv[6];
          expect(changes.length % 2).to.equal(0);
          expect(changes.length).to.be.at.most(4); // a move changes its own lane and its cause's, no more
          for (let j = 0; j < changes.length; j += 2) {
            expect(changes[j + 1]).to.be.within(0, 4);
            state[changes[j] as number] = changes[j + 1] as number;
          }
        }
        expect(state.every((s) => s === 4), `final states ${state.join("")}`).to.equal(true); // runSync ends every task
      }),
      { numRuns: 40 },
    );
  });
});

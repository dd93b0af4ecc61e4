// The machine panel of the HTML page in a real browser (headless Chromium from npm): at every
// move, opened by its link (#move=k), the panel shows exactly the state machineStates() rebuilds
// (yield sites included); the keyboard steps through moves and the address follows; no console error. Writes
// the page and screenshots to build/trace/.

import { expect } from "chai";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { channel, Runtime, sleep, spawn, yieldNow, type TraceEvent } from "../../lib/index";
import { random } from "../../lib/testing/index";
import { htmlTimeline } from "../../lib/trace/index";
import { machineStates, type MachineState } from "../../lib/trace/machine";
import { browserSkipped } from "../../scripts/chromium";
import { openPage, type PageUnderTest } from "./support/browser";

const OUT = join(__dirname, "..", "..", "build", "trace");

/** Producer, consumer and a ticker under a seeded random scheduler: wakes, timers, parks, picks. */
function program(): TraceEvent[] {
  const rt = new Runtime({ clock: "virtual", trace: true, traceSites: true, scheduler: random(11) });
  rt.spawn(
    function* () {
      const [tx, rx] = channel<number>(1);
      spawn(function* () {
        for (let i = 1; i <= 3; i++) {
          yield* sleep(2);
          yield* tx.send(i);
        }
        tx.close();
      }, { name: "producer" });
      spawn(function* () {
        for (let i = 0; i < 3; i++) {
          yield* yieldNow();
          yield* sleep(3);
        }
      }, { name: "ticker" });
      let sum = 0;
      for (let v = yield* rx.recv(); v !== undefined; v = yield* rx.recv()) sum += v;
      return sum;
    },
    { name: "consumer" },
  );
  rt.runSync();
  return rt.trace as TraceEvent[];
}

const label = (s: MachineState, id: number) => (s.names.has(id) ? `#${id} ${s.names.get(id)}` : `#${id}`);

/** What the panel must show after a move, from the reconstruction. */
function expected(s: MachineState) {
  return {
    running: s.running === undefined ? [] : [label(s, s.running)],
    queue: s.queue.map((q) => [label(s, q.task), q.why]),
    parked: s.parked.map((p) => [label(s, p.task), `on ${p.on}`, p.site === undefined ? "" : `yielded at ${p.site}`]),
    timers: s.timers.map((t) => [`t=${t.deadline} #${t.seq}`, `wakes ${label(s, t.task)}`]),
  };
}

async function shown(page: Page) {
  const chips = (list: string) =>
    page.locator(`#${list} li.chip:not(.leaving)`).evaluateAll((lis) => lis.map((li) => [li.querySelector(".who")?.textContent ?? "", li.querySelector(".why")?.textContent ?? ""]));
  return {
    running: (await chips("m-running")).map((c) => c[0]),
    queue: await chips("m-queue"),
    parked: await page.locator("#m-parked li.chip:not(.leaving)").evaluateAll((lis) => lis.map((li) => [li.querySelector(".who")?.textContent ?? "", li.querySelector(".why")?.textContent ?? "", li.querySelector(".site")?.textContent ?? ""])),
    timers: await chips("m-timers"),
  };
}

describe("trace: the machine panel in a real browser", function () {
  this.timeout(120_000);
  const events = program();
  const states = machineStates(events);
  const html = htmlTimeline(events, { title: "producer, consumer, ticker (random scheduler, seed 11)" });
  let opened: PageUnderTest | undefined;
  let page: Page;
  let base = "";
  let problems: string[] = [];

  before(async function () {
    const skipped = browserSkipped();
    if (skipped !== undefined) {
      console.log(`    (browser tests skipped: ${skipped})`);
      this.skip();
    }
    opened = await openPage(OUT, "machine.html", html, { width: 1400, height: 900 });
    ({ page, problems, url: base } = opened);
  });

  after(async () => {
    await opened?.close();
  });

  it("has moves where the queue holds two tasks, a task is parked on a timer, and the scheduler picked", () => {
    expect(states.some((s) => s.queue.length >= 2)).to.equal(true);
    expect(states.some((s) => s.parked.some((p) => p.wakeBy !== undefined))).to.equal(true);
    expect(states.some((s) => s.step?.picked.startsWith("the scheduler's pick: position") === true)).to.equal(true);
    expect(states.some((s) => s.parked.some((p) => p.site?.startsWith("trace/machine-browser.spec.ts:") === true))).to.equal(true);
  });

  it("opened at #move=k, shows the rebuilt state after move k (every move)", async () => {
    await page.goto(`${base}#move=0`, { waitUntil: "load" });
    for (let k = 1; k <= states.length; k++) {
      await page.evaluate(`location.hash = "#move=${k}"`);
      await page.waitForFunction(`(document.getElementById("m-move").textContent || "").startsWith("after move ${k} of")`);
      expect(await shown(page), `after move ${k}`).to.deep.equal(expected(states[k - 1] as MachineState));
    }
    expect(problems).to.deep.equal([]);
  });

  it("answers why a task ran: the running chip says how it left the queue", async () => {
    const k = states.findIndex((s) => s.running !== undefined && s.step?.picked.startsWith("the scheduler's pick: position") === true) + 1;
    expect(k).to.be.above(0);
    await page.goto(`${base}#move=${k}`, { waitUntil: "load" });
    const s = states[k - 1] as MachineState;
    const why = await page.locator("#m-running li.chip .why").textContent();
    expect(why).to.equal(`ran as ${s.step?.picked}; it was ${s.step?.queued}`);
    await page.waitForTimeout(400); // let the chips settle before the picture
    await page.screenshot({ path: join(OUT, `machine-move-${k}.png`), fullPage: true });
  });

  it("animates a wake by a timer: the timer's chip leaves the heap, the task's own chip slides from parked to the queue", async () => {
    const k = states.findIndex((s, i) => i > 0 && (states[i - 1] as MachineState).timers.length > s.timers.length && s.queue.length > 0 && (states[i - 1] as MachineState).parked.some((p) => p.task === s.queue[s.queue.length - 1]?.task)) + 1;
    expect(k).to.be.above(1);
    const before = states[k - 2] as MachineState;
    const after = states[k - 1] as MachineState;
    const woken = (after.queue[after.queue.length - 1] as { task: number }).task;
    const fired = before.timers.find((t) => !after.timers.some((u) => u.seq === t.seq)) as { seq: number };
    await page.goto(`${base}#move=${k - 1}`, { waitUntil: "load" });
    await page.waitForTimeout(400);
    // Mark the two elements, step, and see where the same elements went.
    await page.evaluate(`document.querySelector('#m-parked [data-key="t${woken}"]').dataset.mark = "task"; document.querySelector('#m-timers [data-key="s${fired.seq}"]').dataset.mark = "timer";`);
    await page.locator("body").press("ArrowRight");
    const seen = await page.evaluate(`(() => { const task = document.querySelector('[data-mark="task"]'); const timer = document.querySelector('[data-mark="timer"]'); return { taskIn: task && task.parentElement.id, last: task === document.querySelector('#m-queue li.chip:last-of-type'), transition: task && task.style.transition, timerLeaving: timer !== null && timer.classList.contains("leaving") }; })()`);
    expect(seen).to.deep.equal({ taskIn: "m-queue", last: true, transition: "transform 0.35s", timerLeaving: true });
    await page.waitForTimeout(450);
    expect(await page.locator('[data-mark="timer"]').count()).to.equal(0);
  });

  it("draws at most 40 chips a list and says how many more there are", async () => {
    const rt = new Runtime({ clock: "virtual", trace: true });
    for (let i = 0; i < 50; i++) rt.spawn(function* () { yield* sleep(1 + i); });
    rt.runSync();
    const big = machineStates(rt.trace);
    const k = big.findIndex((s) => s.parked.length === 50) + 1;
    await page.setContent(htmlTimeline(rt.trace, { title: "fifty sleepers" }), { waitUntil: "load" });
    await page.evaluate(`location.hash = "#move=${k}"`);
    await page.waitForFunction(`(document.getElementById("m-move").textContent || "").startsWith("after move ${k} of")`);
    expect(await page.locator("#m-parked li.chip:not(.leaving)").count()).to.equal(40);
    expect(await page.locator("#m-parked-more").textContent()).to.equal("… and 10 more");
    expect(await page.locator("#m-timers li.chip:not(.leaving)").count()).to.equal(40);
    expect(await page.locator("#m-queue-more").textContent()).to.equal("");
    expect(problems).to.deep.equal([]);
    await page.goto("about:blank"); // so the next test's goto loads the page again, not just a new #move
  });

  it("steps with the keyboard, and the address and the link follow the move", async () => {
    await page.goto(`${base}#move=5`, { waitUntil: "load" });
    expect(await page.locator("#m-move").textContent()).to.match(/^after move 5 of /);
    await page.locator("body").press("ArrowRight");
    expect(await page.locator("#m-move").textContent()).to.match(/^after move 6 of /);
    expect(await page.evaluate("location.hash")).to.equal("#move=6");
    expect(await page.locator("#m-link").getAttribute("href")).to.equal("#move=6");
    await page.locator("body").press("ArrowLeft");
    await page.locator("body").press("ArrowLeft");
    expect(await page.locator("#m-move").textContent()).to.match(/^after move 4 of /);
    expect(await shown(page)).to.deep.equal(expected(states[3] as MachineState));
    await page.locator("body").press("Home");
    expect(await page.locator("#m-move").textContent()).to.equal("before the first move");
    await page.locator("body").press("End");
    expect(await page.locator("#m-move").textContent()).to.match(new RegExp(`^after move ${states.length} of `));
    // The link, opened afresh, lands on its move.
    await page.locator("body").press("ArrowLeft");
    const href = (await page.locator("#m-link").getAttribute("href")) as string;
    const other = await (opened as PageUnderTest).browser.newPage();
    await other.goto(base + href, { waitUntil: "load" });
    expect(await other.locator("#m-move").textContent()).to.match(new RegExp(`^after move ${states.length - 1} of `));
    await other.close();
    expect(problems).to.deep.equal([]);
  });
});

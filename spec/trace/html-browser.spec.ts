// The HTML timeline in a real browser: headless Chromium (found by scripts/chromium.ts, which
// honours WAKEFUL_SKIP_BROWSER=1 and WAKEFUL_CHROMIUM) driven by playwright-core. The page is
// served from a localhost server; the test fails on any console error, page error or request
// that leaves the page, checks the lanes and the replay slider, and writes screenshots to
// build/trace/.

import { expect } from "chai";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { htmlTimeline } from "../../lib/trace/index";
import { browserSkipped } from "../../scripts/chromium";
import { openPage, type PageUnderTest } from "./support/browser";
import { richTrace } from "./support/programs";

const OUT = join(__dirname, "..", "..", "build", "trace");

describe("trace: htmlTimeline in a real browser", function () {
  this.timeout(90_000);
  let opened: PageUnderTest | undefined;
  let page: Page;
  let url = "";
  let problems: string[] = [];
  const html = htmlTimeline(richTrace(), { title: "richTrace: four tasks, timers, an abort and a failure" });

  before(async function () {
    const skipped = browserSkipped();
    if (skipped !== undefined) {
      console.log(`    (browser tests skipped: ${skipped})`);
      this.skip();
    }
    opened = await openPage(OUT, "timeline.html", html, { width: 1200, height: 640 });
    ({ page, problems, url } = opened);
    await page.goto(url, { waitUntil: "load" });
  });

  after(async () => {
    await opened?.close();
  });

  const readout = () => page.locator("#readout").textContent();
  const shown = () => page.locator("#lanes g.mark:not(.future)").count();
  const setSlider = async (k: number) => {
    await page.locator("#step").fill(String(k));
  };

  it("loads with no console error, no page error and no request besides the page", async () => {
    expect(await page.title()).to.equal("richTrace: four tasks, timers, an abort and a failure");
    expect(problems).to.deep.equal([]);
  });

  it("draws one lane per task, with its label", async () => {
    expect(await page.locator("#lanes g.lane").count()).to.equal(4);
    expect(await page.locator("#lanes #labels text.label").evaluateAll((ts) => ts.map((t) => t.firstChild?.textContent))).to.deep.equal(["#1 main", "#2", "#3 child0", "#4 child1"]);
    const box = await page.locator("#lanes").boundingBox();
    expect(box?.height).to.be.above(150);
    await page.screenshot({ path: join(OUT, "timeline.png"), fullPage: true });
  });

  it("replays the run with the slider: later moves fade and the table follows", async () => {
    const n = Number(await page.locator("#step").getAttribute("max"));
    expect(await shown()).to.equal(n);
    expect(await readout()).to.equal(`move ${n} of ${n} · t=15 ms · #1 main: complete`);

    await setSlider(0);
    expect(await readout()).to.equal("before the first move");
    expect(await shown()).to.equal(0);
    expect(await page.locator("#now tbody tr").nth(0).locator(".state").textContent()).to.equal("not spawned yet");

    await setSlider(5);
    expect(await shown()).to.equal(5);
    expect(await readout()).to.equal(`move 5 of ${n} · t=0 ms · #1 main: poll sleep(5) until t=5 → park`);
    expect(await page.locator("#now tbody tr").nth(0).locator(".state").textContent()).to.equal("parked on sleep(5) until t=5");
    expect(await page.locator("#cursor").getAttribute("visibility")).to.equal("visible");
    await page.screenshot({ path: join(OUT, "timeline-move-5.png"), fullPage: true });


    await page.locator("#next").click();
    expect(await shown()).to.equal(6);
    await page.locator("body").press("ArrowLeft");
    expect(await shown()).to.equal(5);
    await page.locator("#first").click();
    expect(await shown()).to.equal(0);
    expect(problems).to.deep.equal([]);
  });

  it("keeps the lane labels in view when the chart scrolls sideways", async () => {
    await page.setViewportSize({ width: 600, height: 640 });
    await page.locator("#chart").evaluate((el) => (el.scrollLeft = 200));
    await page.waitForFunction('document.getElementById("labels").getAttribute("transform") === "translate(200,0)"', undefined, { timeout: 5000 });
    await page.setViewportSize({ width: 1200, height: 640 });
  });

  it("plays the run forward, a move at a time", async () => {
    await setSlider(0);
    await page.locator("#play").click();
    await page.waitForFunction('Number(document.getElementById("step").value) >= 2', undefined, { timeout: 5000 });
    await page.locator("#play").click(); // pause
    const k = Number(await page.locator("#step").inputValue());
    await page.waitForTimeout(600);
    expect(Number(await page.locator("#step").inputValue())).to.equal(k);
    expect(await shown()).to.equal(k);
  });

  it("explains a mark on hover with its title", async () => {
    const title = await page.locator("#lanes g.mark.timer title").first().textContent();
    expect(title).to.equal("#1 main · t=5 ms · timer fires → woken");
  });
});

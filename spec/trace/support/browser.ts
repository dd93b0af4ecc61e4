// A page in headless Chromium for the browser specs: the page served once from a local server
// (so a request for anything else is noticed), opened with every console error, page error and
// outside request collected. The browser itself comes from scripts/chromium.ts (the npm
// @sparticuz/chromium build; WAKEFUL_SKIP_BROWSER=1 skips, WAKEFUL_CHROMIUM points elsewhere).

import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../../../scripts/chromium";

/** A served page, its browser, and what went wrong while it ran. */
export interface PageUnderTest {
  readonly url: string;
  /** The browser, for a second page (a link opened afresh). */
  readonly browser: Browser;
  readonly page: Page;
  /** Console errors and warnings, page errors, and requests for anything but the page. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** Write `html` to `dir/name` (to look at afterwards), serve it, and open it in a fresh Chromium page. */
export async function openPage(dir: string, name: string, html: string, viewport: { width: number; height: number }): Promise<PageUnderTest> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), html);
  const problems: string[] = [];
  const server: Server = createServer((req, res) => {
    if (req.url === `/${name}`) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(html);
    } else {
      problems.push(`the page requested ${req.url}`);
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${name}`;
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport });
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("request", (r) => {
      if (!r.url().startsWith(url) && !r.url().startsWith("data:")) problems.push(`request to ${r.url()}`);
    });
    const opened: Browser = browser;
    return {
      url,
      browser: opened,
      page,
      problems,
      close: async () => {
        await opened.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  } catch (error) {
    await browser?.close();
    server.close();
    throw error;
  }
}

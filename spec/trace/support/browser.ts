// Headless Chromium for the browser specs, from the npm package @sparticuz/chromium (a Chromium
// build that unpacks itself; no system browser needed), driven by playwright-core. Honours
// WAKEFUL_SKIP_BROWSER=1; WAKEFUL_CHROMIUM points at another binary.

import chromiumBinary from "@sparticuz/chromium";
import { chromium, type Browser } from "playwright-core";

export const skipBrowser = process.env.WAKEFUL_SKIP_BROWSER === "1";

/** A headless Chromium; the caller closes it. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.WAKEFUL_CHROMIUM ?? (await chromiumBinary.executablePath());
  return chromium.launch({ executablePath, args: [...chromiumBinary.args, "--no-sandbox"], headless: true });
}

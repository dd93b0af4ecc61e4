// Finds the Chromium that every browser test and script launches (through playwright-core), so
// they all agree: WAKEFUL_SKIP_BROWSER=1 skips them, WAKEFUL_CHROMIUM names a binary to use, and
// otherwise the headless Chromium shipped inside the @sparticuz/chromium devDependency is
// unpacked once into the temporary folder. No OS package and no download is needed.

import { existsSync, mkdirSync, rmdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Flags for a headless Chromium that runs as root in a container, offline. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--no-zygote",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Why the browser tests do not run, or undefined when they do. */
export function browserSkipped(): string | undefined {
  return process.env.WAKEFUL_SKIP_BROWSER === "1" ? "WAKEFUL_SKIP_BROWSER=1" : undefined;
}

// Two processes may ask at once (the HTML timeline spec and the bundle script, or two checkouts
// on one machine); @sparticuz/chromium unpacks straight into the temporary folder and takes any
// existing file as finished, so the first unpack is serialised with a lock folder.
const LOCK = join(tmpdir(), "wakeful-chromium.lock");
const STALE_MS = 120_000;

async function withLock<T>(f: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let age = 0;
      try {
        age = Date.now() - statSync(LOCK).mtimeMs;
      } catch {
        continue; // released between mkdir and stat
      }
      if (age > STALE_MS) rmdirSync(LOCK);
      else if (Date.now() - started > STALE_MS) throw new Error(`Chromium is still being unpacked by another process (lock ${LOCK})`);
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await f();
  } finally {
    rmdirSync(LOCK);
  }
}

/** The Chromium binary to launch: WAKEFUL_CHROMIUM, or the one inside @sparticuz/chromium. */
export async function chromiumPath(): Promise<string> {
  const chosen = process.env.WAKEFUL_CHROMIUM;
  if (chosen !== undefined && chosen !== "") {
    if (!existsSync(chosen)) throw new Error(`WAKEFUL_CHROMIUM is ${chosen}, and there is no file there`);
    return chosen;
  }
  let Chromium: { executablePath(): Promise<string> };
  try {
    Chromium = (require("@sparticuz/chromium") as { default?: typeof Chromium }).default ?? (require("@sparticuz/chromium") as typeof Chromium);
  } catch {
    throw new Error(
      "the browser tests launch the Chromium inside the devDependency @sparticuz/chromium, which is not installed: " +
        "run `npm install`, point WAKEFUL_CHROMIUM at a Chromium binary, or set WAKEFUL_SKIP_BROWSER=1 to skip them",
    );
  }
  return withLock(() => Chromium.executablePath());
}

/** Launches headless Chromium through playwright-core with the flags above. */
export async function launchChromium(): Promise<import("playwright-core").Browser> {
  const executablePath = await chromiumPath();
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

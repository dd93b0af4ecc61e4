// fast-check is an optional peer dependency: only scheduleArbitrary() needs it, so
// wakeful/testing loads without it and scheduleArbitrary() says what to install. This is the
// one file that loads the package; the published builds (scripts/build.js) turn its import
// into one that tolerates a missing package, in CommonJS and in ES modules alike.

import * as loaded from "fast-check";

/** The fast-check module, or a clear error when it is not installed. */
export function fastCheck(): typeof loaded {
  if (typeof (loaded as { array?: unknown } | undefined)?.array !== "function") {
    throw new Error(
      "scheduleArbitrary() needs the package fast-check, which is not installed: run `npm install --save-dev fast-check` " +
        "(wakeful/testing's other functions — explore, check, the schedulers — work without it)",
    );
  }
  return loaded;
}

// Layering, checked by a tool rather than by hope (run by `npm test`):
//  1. lib/ outside lib/node imports nothing but relative files (zero runtime dependencies,
//     no Node API); only lib/testing may also import the peer dependency "fast-check".
//  2. Value imports between lib/ files form no cycle (`import type` is free).
//  3. Folders import only downward: core (lib/*.ts) never imports a subfolder; sync and
//     combinators import core; lib/index.ts (the entry point) re-exports core, sync and
//     combinators; primitives (the plumbing entry) re-exports core and sync; trace imports
//     core; testing imports core, sync, combinators, trace; node imports anything but
//     testing and primitives (it takes the plumbing from core and sync directly);
//     testing-node (Node-only testing) imports anything.
//  4. Outside lib/node, host.ts is the only file that touches host timers or macrotasks.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const lib = path.join(root, "lib");
const files = [];
(function walk(dir) {
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) walk(p);
    else if (name.endsWith(".ts")) files.push(p);
  }
})(lib);

const layerOf = (file) => {
  const rel = path.relative(lib, file).split(path.sep);
  if (rel.length === 1) return rel[0] === "index.ts" ? "surface" : "core";
  return rel[0];
};
const allowed = {
  surface: ["core", "sync", "combinators"], // lib/index.ts: the package's main entry point
  core: ["core"],
  sync: ["core", "sync"],
  combinators: ["core", "combinators"],
  primitives: ["core", "sync", "primitives"], // lib/primitives: plumbing for writing primitives
  trace: ["core", "trace"],
  testing: ["core", "sync", "combinators", "trace", "testing"],
  node: ["core", "sync", "combinators", "trace", "node"],
  "testing-node": ["core", "sync", "combinators", "trace", "testing", "node", "testing-node"],
};

const problems = [];
const graph = new Map();
const importRe = /^\s*(import|export)\s+(type\s+)?([^'";]*?\s+from\s+)?["']([^"']+)["']/gm;
for (const file of files) {
  const rel = path.relative(root, file);
  const src = fs.readFileSync(file, "utf8");
  const layer = layerOf(file);
  const edges = [];
  for (const m of src.matchAll(importRe)) {
    const typeOnly = Boolean(m[2]) || /^\s*import\s+type\b/.test(m[0]);
    const spec = m[4];
    if (!spec.startsWith(".")) {
      if ((layer === "node" || layer === "testing-node") && (spec.startsWith("node:") || spec === "fast-check")) continue;
      if (layer === "testing" && spec === "fast-check") continue;
      problems.push(`${rel}: imports "${spec}" — lib/ outside lib/node may import only its own files${layer === "testing" ? " and fast-check" : ""}`);
      continue;
    }
    let target = path.resolve(path.dirname(file), spec);
    if (fs.existsSync(target + ".ts")) target += ".ts";
    else if (fs.existsSync(path.join(target, "index.ts"))) target = path.join(target, "index.ts");
    else {
      problems.push(`${rel}: imports "${spec}", which does not exist`);
      continue;
    }
    const tl = layerOf(target);
    if (!allowed[layer].includes(tl)) problems.push(`${rel}: the ${layer} layer must not import from ${tl} (${spec})`);
    if (!typeOnly) edges.push(target);
  }
  graph.set(file, edges);
  if (layer !== "node" && path.basename(file) !== "host.ts" && /\b(setTimeout|setImmediate|setInterval|clearTimeout|MessageChannel|requestAnimationFrame)\s*\(/.test(src.replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "").replace(/`(?:\\[\s\S]|[^`\\])*`/g, "``").replace(/"(?:\\.|[^"\\])*"/g, '""'))) {
    problems.push(`${rel}: touches host timers directly; only lib/host.ts may`);
  }
}

// Cycle detection over value imports (iterative DFS with colours).
const colour = new Map();
for (const start of graph.keys()) {
  if (colour.get(start)) continue;
  const stack = [[start, 0]];
  const pathStack = [start];
  colour.set(start, 1);
  while (stack.length) {
    const top = stack[stack.length - 1];
    const edges = graph.get(top[0]) || [];
    if (top[1] >= edges.length) {
      colour.set(top[0], 2);
      stack.pop();
      pathStack.pop();
      continue;
    }
    const next = edges[top[1]++];
    const c = colour.get(next);
    if (c === 1) {
      const cyc = pathStack.slice(pathStack.indexOf(next)).concat(next).map((f) => path.relative(root, f));
      problems.push(`import cycle: ${cyc.join(" → ")}`);
    } else if (!c) {
      colour.set(next, 1);
      stack.push([next, 0]);
      pathStack.push(next);
    }
  }
}

if (problems.length) {
  console.error("layering check failed:\n  " + problems.join("\n  "));
  process.exit(1);
}
console.log(`layering: ${files.length} files in lib/, no cycles, imports only downward`);

// Builds the published package into dist/: CommonJS (dist/cjs) and ES modules (dist/esm), each
// with its own type declarations beside the code, from the same lib/ sources with tsc. Each
// folder has a package.json saying its format, so TypeScript reads dist/esm's declarations as
// ES modules and dist/cjs's as CommonJS (an ESM consumer then sees the same fast-check types
// as its own code). Node's ESM loader needs file extensions on relative imports and our sources
// are written without them (so ts-node runs them as CommonJS), so the ESM output's relative
// specifiers, in code and declarations, are rewritten to name their .js files. Source maps
// carry the sources inline (lib/ is not shipped).
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const dist = path.join(root, "dist");
let tsc;
try {
  tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
} catch {
  // `npm i <folder>` runs this `prepare` script in the folder without installing its devDependencies.
  console.error(`building wakeful needs its devDependencies (TypeScript): run \`npm install\` in ${root} first`);
  process.exit(1);
}

fs.rmSync(dist, { recursive: true, force: true });
function run(args) {
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json", ...args], { cwd: root, stdio: "inherit" });
}
run(["--module", "commonjs", "--moduleResolution", "node10", "--outDir", "dist/cjs"]);
run(["--module", "es2022", "--moduleResolution", "bundler", "--outDir", "dist/esm"]);

fs.writeFileSync(path.join(dist, "cjs", "package.json"), JSON.stringify({ type: "commonjs" }, null, 2) + "\n");
fs.writeFileSync(path.join(dist, "esm", "package.json"), JSON.stringify({ type: "module" }, null, 2) + "\n");

function walk(dir, f) {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isDirectory()) walk(file, f);
    else f(file, name);
  }
}

let rewritten = 0;
walk(path.join(dist, "esm"), (file, name) => {
  if (name.endsWith(".js") || name.endsWith(".d.ts")) fixEsm(file);
});

function fixEsm(file) {
  const src = fs.readFileSync(file, "utf8");
  const out = src.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"']*)\2/g, (whole, lead, q, spec) => {
    if (/\.(m?js|json)$/.test(spec)) return whole;
    const base = path.resolve(path.dirname(file), spec);
    if (fs.existsSync(base + ".js")) return `${lead}${q}${spec}.js${q}`;
    if (fs.existsSync(path.join(base, "index.js"))) return `${lead}${q}${spec}/index.js${q}`;
    throw new Error(`${path.relative(root, file)}: cannot resolve ${spec}`);
  });
  if (out !== src) {
    rewritten++;
    fs.writeFileSync(file, out);
  }
}

// fast-check is an optional peer: lib/testing/fast-check.ts imports it, and here that import
// learns to tolerate a missing package (its fastCheck() then throws an error that says what to
// install). Any other failure to load it is rethrown.
function patch(rel, from, to) {
  const file = path.join(dist, rel);
  const src = fs.readFileSync(file, "utf8");
  if (!src.includes(from)) throw new Error(`${rel}: expected to find ${from} (lib/testing/fast-check.ts changed?)`);
  fs.writeFileSync(file, src.replace(from, to));
}
const missing = `(error) => { if (error && (error.code === "MODULE_NOT_FOUND" || error.code === "ERR_MODULE_NOT_FOUND")) return undefined; throw error; }`;
patch("cjs/testing/fast-check.js", `require("fast-check")`, `(() => { try { return require("fast-check"); } catch (error) { return (${missing})(error); } })()`);
patch("esm/testing/fast-check.js", `import * as loaded from "fast-check";`, `const loaded = await import("fast-check").catch(${missing});`);

// Declarations that name Symbol.dispose or Disposable get them declared locally, so a consumer
// whose \`lib\` lacks esnext.disposable (Node 20's usual es2023) still type-checks them; the
// declarations merge with TypeScript's own where a consumer has them.
const DISPOSABLE = `// Symbol.dispose and Disposable, for consumers whose \`lib\` lacks esnext.disposable. These merge
// with TypeScript's own declarations (and @types/node's) where those are present.
interface SymbolConstructor {
  readonly dispose: unique symbol;
}
interface Disposable {
  [Symbol.dispose](): void;
}
`;
let withDisposable = 0;
for (const format of ["cjs", "esm"]) {
  const top = path.join(dist, format);
  fs.writeFileSync(path.join(top, "disposable.d.ts"), DISPOSABLE);
  walk(top, (file, name) => {
    if (!name.endsWith(".d.ts") || file === path.join(top, "disposable.d.ts")) return;
    const src = fs.readFileSync(file, "utf8");
    if (!/Symbol\.dispose|\bDisposable\b/.test(src)) return;
    let rel = path.relative(path.dirname(file), path.join(top, "disposable.d.ts")).split(path.sep).join("/");
    if (!rel.startsWith(".")) rel = `./${rel}`;
    fs.writeFileSync(file, `/// <reference path="${rel}" />\n${src}`);
    withDisposable++;
  });
}
console.log(`built dist/cjs and dist/esm with declarations (${rewritten} ESM files with rewritten imports, ${withDisposable} declaration files given Disposable)`);

// Builds the published package into dist/: CommonJS (dist/cjs), ES modules (dist/esm) and type
// declarations (dist/types), from the same lib/ sources with tsc. Node's ESM loader needs file
// extensions on relative imports and our sources are written without them (so ts-node runs them
// as CommonJS), so the ESM output's relative specifiers are rewritten to name their .js files.
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const dist = path.join(root, "dist");
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");

fs.rmSync(dist, { recursive: true, force: true });
function run(args) {
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json", ...args], { cwd: root, stdio: "inherit" });
}
run(["--module", "commonjs", "--moduleResolution", "node10", "--outDir", "dist/cjs"]);
run(["--module", "es2022", "--moduleResolution", "bundler", "--outDir", "dist/esm"]);
run(["--declaration", "--emitDeclarationOnly", "--sourceMap", "false", "--outDir", "dist/types"]);

fs.writeFileSync(path.join(dist, "cjs", "package.json"), JSON.stringify({ type: "commonjs" }, null, 2) + "\n");
fs.writeFileSync(path.join(dist, "esm", "package.json"), JSON.stringify({ type: "module" }, null, 2) + "\n");

let rewritten = 0;
(function walk(dir) {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isDirectory()) walk(file);
    else if (name.endsWith(".js")) fixEsm(file);
  }
})(path.join(dist, "esm"));

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
console.log(`built dist/cjs, dist/esm (${rewritten} files with rewritten imports) and dist/types`);

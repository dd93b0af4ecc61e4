// A require hook that runs .ts files through esbuild's transform (no type checking: `npm test`
// type-checks with tsc first). Examples and benchmarks start in milliseconds instead of loading
// the TypeScript compiler into every process, as ts-node does.
"use strict";
const fs = require("fs");
const { transformSync } = require("esbuild");

require.extensions[".ts"] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const { code } = transformSync(source, {
    loader: "ts",
    format: "cjs",
    target: "es2022",
    sourcefile: filename,
    sourcemap: "inline",
  });
  module._compile(code, filename);
};

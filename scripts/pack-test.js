// The package as a user gets it: build a copy of the sources, `npm pack` it, install the tarball
// into a fresh project offline, and use every entry point (wakeful, wakeful/sync,
// wakeful/primitives, wakeful/testing, wakeful/trace, wakeful/node) from an ES module (.mjs) and from CommonJS (.cjs), running a
// tiny program through each, first without the optional peer fast-check; then type-check
// TypeScript consumers against the packed types (CommonJS, and an ES module under nodenext that
// combines scheduleArbitrary with fast-check, with Node 20's usual lib and no Node types), run
// the ES one, and install a git clone as a folder (`npm i ../clone`, built by `prepare`).
// It works on a copy in a temporary folder, so the checkout's own dist/ is never touched.
//
//   node scripts/pack-test.js [--keep]     (--keep leaves the temporary folder for a look)
//
// Exits non-zero on the first problem; prints one line per check.
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.join(__dirname, "..");
const keep = process.argv.includes("--keep");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wakeful-pack-"));
const src = path.join(tmp, "src");
const app = path.join(tmp, "app");
// Whatever happens (a failed step, an unexpected throw), the temporary folder goes unless --keep.
process.on("exit", () => {
  if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
});
const npmEnv = { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false", npm_config_loglevel: "error" };

function step(what, f) {
  const t0 = Date.now();
  try {
    const note = f();
    console.log(`ok   ${what}${note ? `: ${note}` : ""} (${Date.now() - t0} ms)`);
  } catch (error) {
    console.log(`FAIL ${what}`);
    const out = [error.stdout, error.stderr].filter(Boolean).map(String).join("\n");
    console.log(out || (error && error.stack) || String(error));
    if (keep) console.log(`kept ${tmp}`);
    process.exit(1);
  }
}

function run(cmd, args, cwd, env = npmEnv) {
  return execFileSync(cmd, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function copy(rel) {
  const from = path.join(root, rel);
  if (!fs.existsSync(from)) return;
  fs.cpSync(from, path.join(src, rel), { recursive: true });
}

// 1. A copy of what the build reads, with the checkout's node_modules linked in.
step("copy the sources", () => {
  fs.mkdirSync(src, { recursive: true });
  for (const rel of ["package.json", "README.md", "LICENSE", "CHANGELOG.md", ".gitignore", "tsconfig.json", "tsconfig.build.json", "scripts/build.js", "lib"]) copy(rel);
  fs.symlinkSync(path.join(root, "node_modules"), path.join(src, "node_modules"), "dir");
  return tmp;
});

// 2. Build and pack.
step("npm run build (in the copy)", () => {
  run(process.execPath, [path.join(src, "scripts", "build.js")], src);
});
let tarball;
step("npm pack", () => {
  // --ignore-scripts: the build above is what `prepare` would run again.
  const out = run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", tmp], src);
  const info = JSON.parse(out)[0];
  tarball = path.join(tmp, info.filename);
  const files = info.files.map((f) => f.path);
  for (const must of ["package.json", "LICENSE", "README.md", "CHANGELOG.md", "dist/cjs/index.js", "dist/esm/index.js", "dist/cjs/index.d.ts", "dist/esm/index.d.ts", "dist/cjs/node/index.js", "dist/esm/node/index.js", "dist/cjs/node/index.d.ts", "dist/esm/node/index.d.ts", "dist/cjs/sync/index.js", "dist/esm/sync/index.d.ts", "dist/cjs/primitives/index.js", "dist/esm/primitives/index.d.ts", "dist/esm/package.json", "dist/cjs/package.json"]) {
    if (!files.includes(must)) throw new Error(`the tarball lacks ${must}`);
  }
  const stray = files.filter((f) => /^(lib|spec|examples|bench|scripts)\//.test(f) || f.endsWith(".ts") && !f.endsWith(".d.ts"));
  if (stray.length) throw new Error(`the tarball holds files a user does not need: ${stray.slice(0, 5).join(", ")}`);
  // Stack traces and debuggers resolve through the maps: each one carries its sources.
  const maps = files.filter((f) => f.endsWith(".js.map"));
  const bare = maps.filter((f) => {
    const map = JSON.parse(fs.readFileSync(path.join(src, f), "utf8"));
    return !Array.isArray(map.sourcesContent) || map.sourcesContent.length !== map.sources.length || map.sourcesContent.some((c) => typeof c !== "string" || c === "");
  });
  if (maps.length === 0 || bare.length) throw new Error(`source maps without their sources inline: ${bare.slice(0, 5).join(", ") || "no maps at all"}`);
  return `${info.filename}, ${files.length} files (${maps.length} source maps, sources inline), ${(info.size / 1024).toFixed(1)} kB packed, ${(info.unpackedSize / 1024).toFixed(1)} kB unpacked`;
});

// 3. A fresh project that installs the tarball without the network (wakeful has no dependencies).
step("install the tarball into a fresh project (offline)", () => {
  fs.mkdirSync(app, { recursive: true });
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "wakeful-consumer", version: "1.0.0", private: true }, null, 2));
  try {
    run("npm", ["install", tarball, "--offline", "--no-audit", "--no-fund", "--no-package-lock"], app);
    return "npm install --offline";
  } catch (error) {
    // npm wanted the network after all: put the package where npm would have.
    const dest = path.join(app, "node_modules", "wakeful");
    fs.mkdirSync(dest, { recursive: true });
    run("tar", ["-xzf", tarball, "-C", dest, "--strip-components=1"], app);
    return `npm install failed (${String(error.stderr || error.message).split("\n")[0]}); extracted the tarball into node_modules instead`;
  }
});
// fast-check is an optional peer: without it wakeful/testing loads and explores, and only
// scheduleArbitrary() fails, with an error that names the package and the command to install it.
const withoutPeer = `
const out = [];
const result = testing.explore((rt) => { rt.spawn(function* () {}); rt.spawn(function* () {}); }, { strategy: "dfs", runs: 4 });
out.push(result.ok ? "explore works" : "explore failed");
try { testing.scheduleArbitrary(); out.push("scheduleArbitrary() did not throw"); } catch (error) { out.push(error.message); }
console.log(out.join(" | "));
`;
fs.writeFileSync(path.join(app, "nopeer.mjs"), `import * as testing from "wakeful/testing";\n${withoutPeer}`);
fs.writeFileSync(path.join(app, "nopeer.cjs"), `const testing = require("wakeful/testing");\n${withoutPeer}`);
for (const file of ["nopeer.mjs", "nopeer.cjs"]) {
  step(`run ${file} without fast-check installed (wakeful/testing loads; scheduleArbitrary says what to install)`, () => {
    if (fs.existsSync(path.join(app, "node_modules", "fast-check"))) return "skipped: npm installed fast-check from its cache";
    const out = run(process.execPath, [file], app).trim();
    if (!out.startsWith("explore works | ") || !out.includes("fast-check") || !out.includes("npm install --save-dev fast-check")) throw new Error(`${file} printed\n  ${out}`);
    return out.split(" | ")[1].slice(0, 60) + "…";
  });
}

// The optional peer (for wakeful/testing) and Node's types (for the TS check), as a user would
// have them.
fs.mkdirSync(path.join(app, "node_modules", "@types"), { recursive: true });
for (const dep of ["fast-check", "@types/node", "undici-types"]) {
  const from = path.join(root, "node_modules", dep);
  const to = path.join(app, "node_modules", dep);
  if (fs.existsSync(from) && !fs.existsSync(to)) fs.symlinkSync(from, to, "dir");
}

// 4. One tiny program per entry point, written once and run as ESM and as CommonJS.
const program = (load) => `
${load}
const out = {};
out.core = wakeful.runSync(function* () {
  const h = wakeful.spawn(function* () { yield* wakeful.sleep(10); return "child"; });
  yield* wakeful.sleep(5);
  return (yield* h) + " after " + wakeful.now() + " ms";
});
out.sync = wakeful.runSync(function* () {
  const [tx, rx] = sync.channel(1);
  wakeful.spawn(function* () { yield* tx.send("sent"); });
  return (yield* rx.recv()) + (sync.Mutex === wakeful.Mutex ? ", same Mutex as the main entry" : ", another Mutex");
});
{
  // A waker of one's own, parked in a WakerSet and woken through it.
  class Flag extends primitives.SimpleWaker { constructor() { super(); this.woken = 0; } wake() { this.woken++; } }
  const flag = new Flag();
  const set = new primitives.WakerSet();
  set.add(flag);
  set.wakeAll();
  const q = new primitives.RingQueue();
  q.push(flag.woken);
  out.primitives = "woken " + q.shift() + ", main entry " + ("WakerSet" in wakeful ? "has" : "lacks") + " WakerSet";
}
const result = testing.explore((rt) => {
  rt.spawn(function* () { yield* wakeful.sleep(1); });
  rt.spawn(function* () { yield* wakeful.yieldNow(); });
}, { strategy: "dfs", runs: 10 });
out.testing = result.ok && result.schedules >= 2 ? "explored, no failure" : "explore gave " + JSON.stringify(result);
const rt = new wakeful.Runtime({ clock: "virtual", trace: true });
rt.spawn(function* () { yield* wakeful.sleep(1); }, { name: "sleeper" });
rt.runSync();
out.trace = trace.timeline(rt.trace).includes("sleeper") ? "timeline names the task" : "timeline lacks the task";
wakeful.run(function* () {
  const listener = yield* node.TcpListener.bind(0);
  const server = wakeful.spawn(function* () {
    const conn = yield* listener.accept();
    const chunk = yield* conn.read();
    yield* conn.write(new TextDecoder().decode(chunk).toUpperCase());
    conn.close();
  });
  const client = yield* node.TcpStream.connect(listener.port);
  yield* client.write("echo");
  const reply = new TextDecoder().decode(yield* client.read());
  client.close();
  yield* server;
  listener.close();
  return reply;
}).then((reply) => {
  out.node = reply;
  console.log(JSON.stringify(out));
}, (error) => { console.error(error); process.exit(1); });
`;
fs.writeFileSync(
  path.join(app, "esm.mjs"),
  program(`import * as wakeful from "wakeful";\nimport * as sync from "wakeful/sync";\nimport * as primitives from "wakeful/primitives";\nimport * as testing from "wakeful/testing";\nimport * as trace from "wakeful/trace";\nimport * as node from "wakeful/node";`),
);
fs.writeFileSync(
  path.join(app, "cjs.cjs"),
  program(`const wakeful = require("wakeful");\nconst sync = require("wakeful/sync");\nconst primitives = require("wakeful/primitives");\nconst testing = require("wakeful/testing");\nconst trace = require("wakeful/trace");\nconst node = require("wakeful/node");`),
);
const expected = JSON.stringify({ core: "child after 10 ms", sync: "sent, same Mutex as the main entry", primitives: "woken 1, main entry lacks WakerSet", testing: "explored, no failure", trace: "timeline names the task", node: "ECHO" });
for (const file of ["esm.mjs", "cjs.cjs"]) {
  step(`run ${file} (wakeful, wakeful/sync, wakeful/primitives, wakeful/testing, wakeful/trace, wakeful/node)`, () => {
    const out = run(process.execPath, [file], app).trim();
    if (out !== expected) throw new Error(`${file} printed\n  ${out}\nexpected\n  ${expected}`);
    return out;
  });
}

step("ESM and CommonJS load the same API (every export of each entry point, by name)", () => {
  const script = `
    const entries = ["wakeful", "wakeful/sync", "wakeful/primitives", "wakeful/testing", "wakeful/trace", "wakeful/node"];
    const out = [];
    (async () => {
      for (const e of entries) {
        const esm = Object.keys(await import(e)).filter((k) => k !== "default" && k !== "module.exports").sort();
        const cjs = Object.keys(require(e)).filter((k) => k !== "__esModule").sort();
        if (esm.join() !== cjs.join()) throw new Error(e + ": ESM has " + esm.join() + " but CJS has " + cjs.join());
        out.push(e + " " + esm.length);
      }
      console.log(out.join(", "));
    })().catch((e) => { console.error(e.message); process.exit(1); });`;
  fs.writeFileSync(path.join(app, "same.cjs"), script);
  return run(process.execPath, ["same.cjs"], app).trim();
});

// 5. A TypeScript consumer type-checked against the packed declarations (through "exports").
step("type-check a CommonJS TypeScript consumer against the packed types (nodenext, lib es2023)", () => {
  fs.writeFileSync(
    path.join(app, "consumer.ts"),
    `import { runSync, sleep, spawn, channel, type JoinHandle, type Operation } from "wakeful";
import { Poll, type Context, type Future } from "wakeful";
import { Semaphore, type Resource } from "wakeful/sync";
import { WakerSet, SimpleWaker } from "wakeful/primitives";
import { explore } from "wakeful/testing";
import { timeline, type TraceEvent } from "wakeful/trace";
import { TcpListener, TcpStream, spawnBlocking, fromEvent, toAbortSignal } from "wakeful/node";

function* child(n: number): Operation<number> {
  yield* sleep(n);
  return n * 2;
}
const v: number = runSync(function* () {
  const h: JoinHandle<number> = spawn(child(5));
  const [tx, rx] = channel<string>();
  yield* tx.send("x");
  const m: string | undefined = yield* rx.recv();
  return (yield* h) + (m === undefined ? 0 : 1);
});
const r: boolean = explore(() => {}, { runs: 1 }).ok;
const t: string = timeline([] as TraceEvent[]);
function* server(): Operation<void> {
  const l: TcpListener = yield* TcpListener.bind(0);
  const s: TcpStream = yield* l.accept();
  const bytes: Uint8Array | undefined = yield* s.read();
  const n: number = yield* spawnBlocking<number>("/abs/jobs.js", "f", bytes?.length);
  const e: unknown = yield* fromEvent(s.socket, "close");
  const signal: AbortSignal = toAbortSignal();
  void n; void e; void signal;
}
// @ts-expect-error a TcpStream read is bytes, not a string
const wrong: Operation<string> = (function* () { const l = yield* TcpListener.bind(0); const s = yield* l.accept(); return yield* s.read(); })();
// A future of one's own, built from the primitives entry.
class Gate implements Future<void> {
  open = false;
  private readonly waiters = new WakerSet();
  poll(cx: Context): Poll<void> { if (this.open) return Poll.ready(undefined); this.waiters.add(cx.waker); return Poll.pending; }
  drop(cx: Context): void { this.waiters.delete(cx.waker); }
}
class Flag extends SimpleWaker { wake(): void {} }
const sem: Resource = new Semaphore(1);
void v; void r; void t; void server; void wrong; void Gate; void Flag; void sem;
`,
  );
  fs.writeFileSync(
    path.join(app, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2023"], types: ["node"], skipLibCheck: false }, files: ["consumer.ts"] }, null, 2),
  );
  run(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], app);
  return "tsc --strict, moduleResolution nodenext, skipLibCheck off";
});

// 6. An ES module TypeScript consumer under nodenext: fast-check's arbitraries combined with
// scheduleArbitrary() must type-check (the ESM declarations see fast-check's ESM types, as the
// consumer's own code does), with Node 20's usual lib (es2023, no esnext.disposable) and no Node
// types at all; then it is compiled and run.
step("type-check and run an ES module TypeScript consumer (nodenext, lib es2023, fast-check + scheduleArbitrary)", () => {
  fs.mkdirSync(path.join(app, "esm-ts"), { recursive: true });
  fs.writeFileSync(
    path.join(app, "esm-ts", "consumer.mts"),
    `import * as fc from "fast-check";
import { JoinSet, Mutex, sleep, yieldNow, type Runtime } from "wakeful";
import { check, scheduleArbitrary, type Schedule } from "wakeful/testing";
import { Notify } from "wakeful/sync";
import { RingQueue } from "wakeful/primitives";

declare const console: { log(line: string): void }; // no Node types here, on purpose

// Two tasks add to a total under a lock, whatever the schedule: the total is always n.
function counters(n: number) {
  return (rt: Runtime): void => {
    const m = new Mutex(0);
    for (let k = 0; k < n; k++) {
      rt.spawn(function* () {
        const g = yield* m.lock();
        yield* yieldNow();
        g.value += 1;
        g.release();
      });
    }
    rt.spawn(function* () {
      yield* sleep(10);
      const g = yield* m.lock();
      if (g.value !== n) throw new Error(\`total \${g.value}, expected \${n}\`);
      g.release();
    });
  };
}
let runs = 0;
fc.assert(
  fc.property(fc.integer({ min: 1, max: 4 }), scheduleArbitrary(), (n: number, schedule: Schedule) => {
    runs++;
    check(counters(n), { replay: schedule });
  }),
  { numRuns: 25, seed: 42 },
);
const set = new JoinSet<number>();
set[Symbol.dispose]();
const queue = new RingQueue<Notify>();
queue.push(new Notify());
if (queue.length !== 1) throw new Error("RingQueue lost its item");
console.log(\`held for \${runs} schedules\`);
`,
  );
  fs.writeFileSync(
    path.join(app, "esm-ts", "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2023"], types: [], skipLibCheck: false, outDir: "out" }, files: ["consumer.mts"] }, null, 2),
  );
  run(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], path.join(app, "esm-ts"));
  const out = run(process.execPath, [path.join("out", "consumer.mjs")], path.join(app, "esm-ts")).trim();
  if (out !== "held for 25 schedules") throw new Error(`consumer.mjs printed\n  ${out}`);
  return `tsc --strict, skipLibCheck off; ${out}`;
});

// 7. A git clone installed as a folder: \`prepare\` builds it (the clone has its dev tools, as
// after \`npm ci\` there; here a link to this checkout's TypeScript and types stands in).
step("npm i <git clone>: prepare builds the clone, and it runs from ESM and CommonJS", () => {
  const git = (args, cwd) => run("git", ["-c", "user.name=pack-test", "-c", "user.email=pack-test@localhost", "-c", "init.defaultBranch=main", ...args], cwd);
  fs.rmSync(path.join(src, "node_modules"));
  fs.rmSync(path.join(src, "dist"), { recursive: true, force: true });
  git(["init", "-q"], src);
  git(["add", "-A"], src);
  git(["commit", "-q", "-m", "sources"], src);
  const clone = path.join(tmp, "clone");
  git(["clone", "-q", src, clone], tmp);
  fs.mkdirSync(path.join(clone, "node_modules", "@types"), { recursive: true });
  for (const dep of ["typescript", "fast-check", "@types/node", "undici-types"]) fs.symlinkSync(path.join(root, "node_modules", dep), path.join(clone, "node_modules", dep), "dir");
  const gitApp = path.join(tmp, "git-app");
  fs.mkdirSync(gitApp);
  fs.writeFileSync(path.join(gitApp, "package.json"), JSON.stringify({ name: "wakeful-git-consumer", version: "1.0.0", private: true }, null, 2));
  run("npm", ["install", clone, "--offline", "--no-audit", "--no-fund", "--no-package-lock"], gitApp);
  if (!fs.existsSync(path.join(gitApp, "node_modules", "wakeful", "dist", "esm", "index.js"))) throw new Error("the installed clone has no dist/: prepare did not build it");
  for (const file of ["esm.mjs", "cjs.cjs"]) {
    fs.copyFileSync(path.join(app, file), path.join(gitApp, file));
    const out = run(process.execPath, [file], gitApp).trim();
    if (out !== expected) throw new Error(`${file} printed\n  ${out}\nexpected\n  ${expected}`);
  }
  return "esm.mjs and cjs.cjs print the same as from the tarball";
});

if (keep) console.log(`kept ${tmp}`);
console.log("pack-test: the packed package works from ESM, CommonJS and TypeScript, and from a git clone");

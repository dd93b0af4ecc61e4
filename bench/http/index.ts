// `npm run bench:http`: the same tiny HTTP/1.1 server written three ways — wakeful
// (TcpListener + one task per connection), node:net + async/await, and node's http module —
// each bundled with esbuild and started in its own process, then loaded with autocannon's
// programmatic API over loopback (127.0.0.1 only, bounded duration). Reports requests/s and
// latency percentiles, and with --write saves the table to bench/http/RESULTS.md.
//
//   npm run bench:http -- [--duration 5] [--connections 50] [--rounds 1] [--only wakeful,async-await] [--write]

import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { build } from "esbuild";

// autocannon ships no types; this is the part of its result we read.
interface CannonResult {
  requests: { average: number; total: number };
  latency: { average: number; p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  "2xx": number;
}
const autocannon = require("autocannon") as (opts: Record<string, unknown>) => Promise<CannonResult>;

const ROOT = path.resolve(__dirname, "../..");
const OUT = path.join(ROOT, "build", "bench-http");

const SERVERS = {
  wakeful: { file: "wakeful.ts", label: "wakeful (TcpListener, a task per connection)" },
  "async-await": { file: "async-await.ts", label: "node:net + async/await (for await over the socket)" },
  "node-http": { file: "node-http.ts", label: "node:http (createServer)" },
} as const;
type ServerId = keyof typeof SERVERS;

interface Options {
  duration: number;
  connections: number;
  rounds: number;
  only: ServerId[];
  write: boolean;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { duration: 5, connections: 50, rounds: 1, only: Object.keys(SERVERS) as ServerId[], write: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--duration") o.duration = positive(next(), a);
    else if (a === "--connections") o.connections = positive(next(), a);
    else if (a === "--rounds") o.rounds = positive(next(), a);
    else if (a === "--only") {
      const ids = next().split(",");
      for (const id of ids) if (!(id in SERVERS)) throw new Error(`--only: unknown server ${JSON.stringify(id)} (known: ${Object.keys(SERVERS).join(", ")})`);
      o.only = ids as ServerId[];
    } else if (a === "--write") o.write = true;
    else throw new Error(`unknown option ${a}`);
  }
  if (o.duration > 30) throw new Error("--duration is capped at 30 s: the load must stay bounded");
  return o;
}

function positive(v: string, name: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a whole number ≥ 1, not ${v}`);
  return n;
}

/** Bundle each server to one plain JS file, so it starts fast and runs without ts-node. */
async function bundle(ids: ServerId[]): Promise<Record<ServerId, string>> {
  mkdirSync(OUT, { recursive: true });
  const out = {} as Record<ServerId, string>;
  for (const id of ids) {
    const file = path.join(OUT, `${id}.js`);
    await build({
      entryPoints: [path.join(__dirname, "servers", SERVERS[id].file)],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      outfile: file,
      logLevel: "warning",
    });
    out[id] = file;
  }
  return out;
}

/** Start a server process and wait for the port it prints. */
function start(file: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${file} printed no port within 10 s`));
    }, 10_000);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line !== undefined) {
        clearTimeout(timer);
        resolve({ child, port: (JSON.parse(line) as { port: number }).port });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited early with code ${code}`));
    });
  });
}

function stop(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let err = "";
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.removeAllListeners("exit");
    child.on("exit", () => resolve(err.trim()));
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
  });
}

interface Row {
  id: ServerId;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  avg: number;
  errors: number;
  non2xx: number;
  /** Server CPU time (user + system) per request served, µs: steadier than requests/s on a busy machine. */
  cpuPerRequest: number;
}

async function measure(id: ServerId, file: string, o: Options, round: number): Promise<Row> {
  const { child, port } = await start(file);
  try {
    const url = `http://127.0.0.1:${port}/`;
    await autocannon({ url, connections: o.connections, pipelining: 1, duration: 1 }); // warm-up: JIT, connection setup
    child.kill("SIGUSR2"); // the server starts counting requests and CPU time here
    await new Promise((r) => setTimeout(r, 50));
    const r = await autocannon({ url, connections: o.connections, pipelining: 1, duration: o.duration });
    const report = await stop(child);
    const served = JSON.parse(report.split("\n").pop() ?? "{}") as { requests?: number; cpuMicros?: number };
    const cpuPerRequest = served.requests !== undefined && served.cpuMicros !== undefined && served.requests > 0 ? served.cpuMicros / served.requests : NaN;
    return { id, round, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, avg: r.latency.average, errors: r.errors + r.timeouts, non2xx: r.non2xx, cpuPerRequest };
  } finally {
    if (child.exitCode === null) await stop(child);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const files = await bundle(o.only);
  const rows: Row[] = [];
  for (let round = 1; round <= o.rounds; round++) {
    // Rounds alternate the order, so background load spreads over every server.
    const order = round % 2 === 1 ? o.only : [...o.only].reverse();
    for (const id of order) {
      process.stderr.write(`round ${round}: ${id} (${o.duration} s, ${o.connections} connections)… `);
      const row = await measure(id, files[id], o, round);
      process.stderr.write(`${Math.round(row.rps)} req/s, p99 ${row.p99} ms, ${row.cpuPerRequest.toFixed(1)} µs CPU/request\n`);
      rows.push(row);
    }
  }
  const table = [
    `| server | requests/s | latency p50 | latency p99 | latency mean | server CPU per request | errors |`,
    `|---|---:|---:|---:|---:|---:|---:|`,
  ];
  const base = median(rows.filter((r) => r.id === "async-await").map((r) => r.rps));
  for (const id of o.only) {
    const mine = rows.filter((r) => r.id === id);
    const rps = median(mine.map((r) => r.rps));
    const ratio = Number.isFinite(base) && base > 0 && id !== "async-await" ? ` (${(rps / base).toFixed(2)}× async/await)` : "";
    table.push(
      `| ${SERVERS[id].label} | ${Math.round(rps).toLocaleString("en-US")}${ratio} | ${median(mine.map((r) => r.p50))} ms | ${median(mine.map((r) => r.p99))} ms | ${median(mine.map((r) => r.avg)).toFixed(2)} ms | ${median(mine.map((r) => r.cpuPerRequest)).toFixed(1)} µs | ${mine.reduce((n, r) => n + r.errors + r.non2xx, 0)} |`,
    );
  }
  const setup = `autocannon ${o.connections} connections, pipelining 1, ${o.duration} s per run after a 1 s warm-up, ${o.rounds} round${o.rounds === 1 ? "" : "s"} (median shown); node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg()[0]?.toFixed(1)} at the end; server and load generator share the machine.`;
  console.log(table.join("\n"));
  console.log(`\n${setup}`);
  if (o.write) {
    const md = `# HTTP benchmark results\n\nMeasured by \`npm run bench:http -- ${process.argv.slice(2).join(" ")}\` (bench/http/index.ts): the same HTTP/1.1 keep-alive server with a fixed 13-byte response, written with wakeful, with node:net + async/await, and with node:http, each loaded by autocannon over 127.0.0.1.\n\n${table.join("\n")}\n\n${setup}\n`;
    writeFileSync(path.join(__dirname, "RESULTS.md"), md);
    console.log("\nwrote bench/http/RESULTS.md");
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

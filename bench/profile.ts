// Reads a V8 .cpuprofile (node --cpu-prof) and lists where the time went: self time per
// function, with the source file it came from. Bundles made by esbuild carry `// path/to/file.ts`
// markers, so a bundle line maps back to the lib/ file that holds it.

import { readFileSync } from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** For each bundle file, the source-file marker that governs each line. */
const sourceMaps = new Map<string, (line: number) => string>();

function sourceOf(url: string): (line: number) => string {
  let f = sourceMaps.get(url);
  if (f !== undefined) return f;
  const markers: { line: number; file: string }[] = [];
  if (url.startsWith("file://")) {
    try {
      const lines = readFileSync(new URL(url), "utf8").split("\n");
      for (let i = 0; i < lines.length; i++) {
        const m = /^\/\/ ((?:lib|bench|node_modules)\/\S+)$/.exec(lines[i] as string);
        if (m !== null) markers.push({ line: i, file: m[1] as string });
      }
    } catch {
      // not a file we can read: fall back to the URL
    }
  }
  const base = url.replace(/^.*\//, "");
  f = (line: number) => {
    let file = base;
    for (const mk of markers) {
      if (mk.line > line) break;
      file = mk.file;
    }
    return file;
  };
  sourceMaps.set(url, f);
  return f;
}

export interface HotSpot {
  fn: string;
  file: string;
  selfPct: number;
  selfMs: number;
}

/** The functions with the most self time, heaviest first. */
export function hotSpots(path: string, top = 20): { totalMs: number; spots: HotSpot[] } {
  const prof = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const n of prof.nodes) byId.set(n.id, n);
  const self = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = prof.timeDeltas[i] ?? 0;
    total += dt;
    const id = prof.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + dt);
  }
  const agg = new Map<string, HotSpot>();
  for (const [id, us] of self) {
    const cf = (byId.get(id) as ProfileNode).callFrame;
    const file = cf.url === "" ? "(native)" : sourceOf(cf.url)(cf.lineNumber);
    const fn = cf.functionName === "" ? "(anonymous)" : cf.functionName;
    const key = `${fn}\u0000${file}`;
    const h = agg.get(key) ?? { fn, file, selfPct: 0, selfMs: 0 };
    h.selfMs += us / 1000;
    agg.set(key, h);
  }
  const spots = [...agg.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
  for (const s of spots) s.selfPct = (100 * s.selfMs * 1000) / total;
  return { totalMs: total / 1000, spots };
}

export function formatHotSpots(path: string, top = 20): string {
  const { totalMs, spots } = hotSpots(path, top);
  const rows = spots.map((s) => `  ${s.selfPct.toFixed(1).padStart(5)}%  ${s.selfMs.toFixed(1).padStart(8)} ms  ${s.fn.padEnd(32)} ${s.file}`);
  return [`${path}  (${totalMs.toFixed(0)} ms sampled)`, ...rows].join("\n");
}

if (require.main === module) {
  for (const p of process.argv.slice(2)) console.log(formatHotSpots(p));
}

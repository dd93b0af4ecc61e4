// The timeline a failure report shows. TEMPORARY: a small swim-lane formatter of our own until
// wakeful/trace's timeline() is committed; then this file becomes a one-line call to it.
// Invariant: deterministic text — the same trace always renders the same way.

import type { TraceEvent } from "../events";

const WIDTH = 24;

/** One lane per task (id order), one row per event, poll/ready noise left out. */
export function renderTimeline(events: readonly TraceEvent[], maxRows = 80): string {
  const ids: number[] = [];
  const names = new Map<number, string | undefined>();
  for (const e of events) {
    if (!names.has(e.task)) {
      ids.push(e.task);
      names.set(e.task, e.name);
    }
  }
  ids.sort((a, b) => a - b);
  const lane = new Map(ids.map((id, i) => [id, i]));
  const rows: string[] = [];
  let lastT: number | undefined = undefined;
  for (const e of events) {
    if (e.kind === "poll" || e.kind === "ready") continue;
    const cells = ids.map(() => "");
    cells[lane.get(e.task) as number] = words(e);
    const t = e.t === lastT ? "" : String(e.t);
    lastT = e.t;
    rows.push(`${t.padStart(5)} │ ${cells.map(fit).join(" ")}`.replace(/\s+$/, ""));
  }
  const head = `${"t".padStart(5)} │ ${ids.map((id) => fit(`#${id}${names.get(id) === undefined ? "" : " " + names.get(id)}`)).join(" ")}`.replace(/\s+$/, "");
  const shown = rows.length > maxRows ? [`      │ … ${rows.length - maxRows} earlier rows`, ...rows.slice(rows.length - maxRows)] : rows;
  return [head, `${"─".repeat(6)}┼${"─".repeat(Math.max(1, ids.length * (WIDTH + 1)))}`, ...shown].join("\n");
}

function words(e: TraceEvent): string {
  const d = e.detail === undefined ? "" : ` ${e.detail}`;
  switch (e.kind) {
    case "wake":
      return `woken${typeof e.by === "number" ? ` by #${e.by}` : e.by === undefined ? "" : ` by ${e.by}`}`;
    case "park":
      return `park:${d}`;
    case "pending":
      return "yield";
    default:
      return `${e.kind}${d}`;
  }
}

function fit(text: string): string {
  return text.length <= WIDTH ? text.padEnd(WIDTH) : text.slice(0, WIDTH - 1) + "…";
}

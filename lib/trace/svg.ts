// The lanes of a trace as inline SVG: one horizontal lane per task, one column per move. A
// lane's line shows its state (thick: running, thin: ready, dashed: parked), a mark shows each
// move (hover for its words), and an arrow runs from a waker's lane to the lane it woke.
// Every drawn element carries data-k (its move), so a page can replay the run move by move.

import type { TraceEvent } from "../events";
import { formatTime } from "./lanes";
import { type Moves, NOT_SPAWNED, PARKED, READY, RUNNING } from "./moves";

export const LABEL_W = 180;
export const COL_W = 28;
export const LANE_H = 44;
export const TOP = 40;

/** Text safe inside HTML or SVG, attributes included. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;"));
}

/** The class of a move's mark, from the kinds of its first and last event. */
export function markClass(first: TraceEvent, last: TraceEvent): string {
  if (first.kind === "poll") return last.kind === "ready" ? "poll ready" : last.kind === "park" ? "poll park" : last.kind === "pending" ? "poll requeued" : last.kind === "throw" ? "poll threw" : "poll";
  return first.kind.replace(/[^a-z-]/g, "");
}

/** The SVG drawing of `moves` (the page's chart). */
export function lanesSvg(events: readonly TraceEvent[], m: Moves): string {
  const { lanes, moves } = m;
  const width = LABEL_W + Math.max(1, moves.length) * COL_W + COL_W;
  const height = TOP + lanes.length * LANE_H + 8;
  const x = (k: number) => LABEL_W + k * COL_W + COL_W / 2;
  const y = (lane: number) => TOP + lane * LANE_H + LANE_H / 2;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" id="lanes" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="one lane per task">`);
  out.push(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>`);

  // Lane bands (the labels come last, on top, so they can stay in view while the chart scrolls).
  lanes.forEach((lane, i) => {
    out.push(`<g class="lane" data-task="${lane.id}"><rect class="band${i % 2 === 1 ? " odd" : ""}" x="0" y="${TOP + i * LANE_H}" width="${width}" height="${LANE_H}"/></g>`);
  });

  // The time axis: a tick wherever the runtime clock moved.
  let lastT: number | undefined = undefined;
  moves.forEach((mv, k) => {
    if (mv.t === lastT) return;
    lastT = mv.t;
    const cx = x(k) - COL_W / 2;
    out.push(`<g class="tick" data-k="${k}"><line x1="${cx}" y1="${TOP - 8}" x2="${cx}" y2="${height - 8}"/><text x="${cx + 3}" y="${TOP - 14}">t=${escapeHtml(formatTime(mv.t))}</text></g>`);
  });

  // Each lane's state line: from the move that set the state to the move that changed it again
  // (data-k and data-k2: the first and last move it covers).
  const cls: Record<number, string> = { [READY]: "ready", [RUNNING]: "running", [PARKED]: "parked" };
  const since = lanes.map(() => ({ state: NOT_SPAWNED, from: -1 }));
  const segment = (lane: number, to: number, x2: number) => {
    const { state, from } = since[lane] as { state: number; from: number };
    const c = cls[state];
    if (c !== undefined && from >= 0) out.push(`<line class="state ${c}" data-k="${from}" data-k2="${to}" x1="${x(from)}" y1="${y(lane)}" x2="${x2}" y2="${y(lane)}"/>`);
  };
  moves.forEach((mv, k) => {
    for (let j = 0; j < mv.changes.length; j += 2) {
      const lane = mv.changes[j] as number;
      segment(lane, k - 1, x(k));
      since[lane] = { state: mv.changes[j + 1] as number, from: k };
    }
  });
  lanes.forEach((_, lane) => segment(lane, moves.length - 1, x(moves.length - 1) + COL_W / 2));

  // Arrows from the waker's lane, then the marks on top.
  moves.forEach((mv, k) => {
    if (mv.causeLane < 0) return;
    const down = mv.causeLane < mv.lane;
    const y1 = y(mv.causeLane) + (down ? 7 : -7);
    const y2 = y(mv.lane) + (down ? -9 : 9);
    out.push(`<line class="cause" data-k="${k}" x1="${x(k)}" y1="${y1}" x2="${x(k)}" y2="${y2}" marker-end="url(#arrow)"><title>${escapeHtml(`${lanes[mv.causeLane]?.label}: ${mv.causeText}`)}</title></line>`);
  });
  moves.forEach((mv, k) => {
    const first = events[mv.first] as TraceEvent;
    const last = events[mv.last] as TraceEvent;
    const title = `${lanes[mv.lane]?.label} · t=${formatTime(mv.t)} ms · ${mv.full}`;
    out.push(`<g class="mark ${markClass(first, last)}" data-k="${k}" transform="translate(${x(k)},${y(mv.lane)})"><title>${escapeHtml(title)}</title>${shape(first.kind)}</g>`);
  });
  out.push(`<line id="cursor" x1="0" y1="${TOP - 6}" x2="0" y2="${height - 8}" visibility="hidden"/>`);
  out.push(`<g id="labels"><rect class="corner" x="0" y="0" width="${LABEL_W - 8}" height="${TOP}"/>`);
  lanes.forEach((lane, i) => {
    out.push(`<rect class="band${i % 2 === 1 ? " odd" : ""}" x="0" y="${TOP + i * LANE_H}" width="${LABEL_W - 8}" height="${LANE_H}"/>`);
    out.push(`<text class="label" x="12" y="${y(i) + 5}">${escapeHtml(fitLabel(lane.label))}<title>${escapeHtml(lane.label)}</title></text>`);
  });
  out.push(`</g>`);
  out.push(`</svg>`);
  return out.join("\n");
}

/** A lane label short enough for the label column (the full one is its hover title). */
function fitLabel(label: string): string {
  const max = Math.floor((LABEL_W - 20) / 7.5);
  return label.length <= max ? label : label.slice(0, max - 1) + "…";
}

/** A mark's shape, centred on 0,0, by the kind of its first event. */
function shape(kind: string): string {
  switch (kind) {
    case "poll":
      return `<rect x="-9" y="-8" width="18" height="16" rx="4"/>`;
    case "spawn":
      return `<circle r="6"/>`;
    case "timer":
      return `<path d="M0,-8 L8,0 L0,8 L-8,0 z"/>`;
    case "complete":
      return `<circle r="7"/><path class="glyph" d="M-3.5,0 L-1,3 L4,-3"/>`;
    case "fail":
    case "cancel":
      return `<circle r="7"/><path class="glyph" d="M-3,-3 L3,3 M3,-3 L-3,3"/>`;
    default:
      return `<circle r="5"/>`;
  }
}

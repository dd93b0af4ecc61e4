// htmlTimeline(events): one self-contained HTML page (no network, no external script) that
// draws a trace's lanes as inline SVG, explains each mark on hover, and replays the run move by
// move with a step slider: later moves fade, a cursor marks the current one, a table says what
// every task is doing at that moment, and a panel beside the lanes shows the machine itself (run
// queue, parked tasks, timers). `#move=37` in the address opens the page at move 37. The page
// reads the same without its script (the panel then shows the final state as text).

import type { TraceEvent } from "../events";
import { describeValue } from "../poll";
import { checkEvents, formatTime } from "./lanes";
import { DONE, type Moves, movesOf, NOT_SPAWNED, PARKED, READY, replayStates, RUNNING } from "./moves";
import { COL_W, escapeHtml, LABEL_W, lanesSvg } from "./svg";
import { machinePanel, PANEL_SCRIPT, PANEL_STYLE, panelHtml } from "./html-machine";

/** Options of {@link htmlTimeline}. @public */
export interface HtmlTimelineOptions {
  /** The page's heading and title. Default `"wakeful trace"`. */
  title?: string;
  /** Join each poll with its outcome into one move, as the text timeline does. Default true. */
  compact?: boolean;
}

/**
 * One self-contained HTML page showing a trace: a lane per task, hover details, and a slider
 * that replays the run poll by poll. Save it and open it in any browser; it loads nothing.
 *
 * ```ts
 * const rt = new Runtime({ clock: "virtual", trace: true });
 * rt.spawn(main());
 * rt.runSync();
 * writeFileSync("build/run.html", htmlTimeline(rt.trace, { title: "main()" }));
 * ```
 * @public
 */
export function htmlTimeline(events: Iterable<TraceEvent> | ArrayLike<TraceEvent>, options: HtmlTimelineOptions = {}): string {
  const list = checkEvents(events, "htmlTimeline()");
  const title = options.title ?? "wakeful trace";
  if (typeof title !== "string") throw new TypeError(`htmlTimeline() title must be a string, not ${describeValue(title)}`);
  const m = movesOf(list, options.compact ?? true);
  const n = m.moves.length;
  const span = n === 0 ? "no events" : `runtime clock ${formatTime((list[0] as TraceEvent).t)} → ${formatTime((list[list.length - 1] as TraceEvent).t)} ms`;
  const panel = machinePanel(list, m);
  const summary = `${m.lanes.length} task${m.lanes.length === 1 ? "" : "s"} · ${list.length} events · ${n} moves · ${span}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}${PANEL_STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="summary">${escapeHtml(summary)}</p>
</header>
<section class="controls" aria-label="replay">
<button id="first" type="button" title="before the first move">«</button>
<button id="prev" type="button" title="previous move (←)">◀</button>
<input id="step" type="range" min="0" max="${n}" value="${n}" aria-label="moves shown">
<button id="next" type="button" title="next move (→)">▶</button>
<button id="play" type="button">play</button>
<output id="readout" for="step">${escapeHtml(readout(m, n))}</output>
</section>
${n === 0 ? `<p class="empty">No trace events: create the runtime with <code>{ trace: true }</code>.</p>` : ""}
<div class="stage">
<div class="chart" id="chart">
${lanesSvg(list, m)}
</div>
${panelHtml(panel.finalText, n)}
</div>
<table class="now" id="now">
<thead><tr><th>task</th><th>state</th><th>last move</th></tr></thead>
<tbody>
${finalRows(m, list)}
</tbody>
</table>
<footer>
<p class="legend">${LEGEND}</p>
<p>Made by <code>htmlTimeline()</code> from <code>wakeful/trace</code>. Hover a mark for its details; drag the slider (or use ← → and Home End) to replay the run one move at a time; the panel shows the run queue, the parked tasks and the timers after the move, and its link opens the page at that move.</p>
</footer>
<script type="application/json" id="trace-data">${scriptJson({ ...(dataOf(m, list) as object), ids: m.lanes.map((l) => l.id), machine: panel.data })}</script>
<script>${PANEL_SCRIPT}${SCRIPT}</script>
</body>
</html>
`;
}

/** What the page's script needs: lane labels, and each move with the lane states it changes. */
function dataOf(m: Moves, list: readonly TraceEvent[]): unknown {
  return {
    geometry: { labelWidth: LABEL_W, columnWidth: COL_W },
    lanes: m.lanes.map((l) => l.label),
    moves: m.moves.map((mv) => {
      const last = list[mv.last] as TraceEvent;
      return [formatTime(mv.t), mv.lane, mv.full, mv.causeLane, mv.causeText ?? null, last.kind === "park" ? (last.detail ?? "a future") : null, mv.changes];
    }),
  };
}

/** The table rows as they stand at the end of the run (the script rewrites them while replaying). */
function finalRows(m: Moves, list: readonly TraceEvent[]): string {
  let final: readonly number[] = [];
  replayStates(m, (k, state) => {
    if (k === m.moves.length) final = state.slice();
  });
  const last: string[] = m.lanes.map(() => "");
  const waits: string[] = m.lanes.map(() => "a future");
  for (const mv of m.moves) {
    last[mv.lane] = mv.full;
    if (mv.causeLane >= 0) last[mv.causeLane] = mv.causeText as string;
    const e = list[mv.last] as TraceEvent;
    if (e.kind === "park") waits[mv.lane] = e.detail ?? "a future";
  }
  return m.lanes
    .map((lane, i) => `<tr data-lane="${i}"><td class="label">${escapeHtml(lane.label)}</td><td class="state">${escapeHtml(stateWords(final[i] as number, waits[i] as string))}</td><td class="last">${escapeHtml(last[i] as string)}</td></tr>`)
    .join("\n");
}

/** JSON that cannot close the script element it sits in. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function readout(m: Moves, k: number): string {
  if (k === 0) return "before the first move";
  const mv = m.moves[k - 1];
  if (mv === undefined) return "";
  return `move ${k} of ${m.moves.length} · t=${formatTime(mv.t)} ms · ${m.lanes[mv.lane]?.label}: ${mv.full}`;
}

/** A lane's state in words (the script says the same while replaying). */
function stateWords(s: number, waitsOn: string): string {
  return s === PARKED ? `parked on ${waitsOn}` : s === NOT_SPAWNED ? "not spawned yet" : s === READY ? "ready to run" : s === RUNNING ? "running" : s === DONE ? "finished" : "";
}

const LEGEND = [
  `<svg width="34" height="12" aria-hidden="true"><line class="state running" x1="2" y1="6" x2="32" y2="6"/></svg> running`,
  `<svg width="34" height="12" aria-hidden="true"><line class="state ready" x1="2" y1="6" x2="32" y2="6"/></svg> ready to run`,
  `<svg width="34" height="12" aria-hidden="true"><line class="state parked" x1="2" y1="6" x2="32" y2="6"/></svg> parked`,
  `<svg width="18" height="18" aria-hidden="true"><g class="mark poll ready" transform="translate(9,9)"><rect x="-7" y="-6" width="14" height="12" rx="3"/></g></svg> poll → Ready`,
  `<svg width="18" height="18" aria-hidden="true"><g class="mark poll park" transform="translate(9,9)"><rect x="-7" y="-6" width="14" height="12" rx="3"/></g></svg> poll → Pending, park`,
  `<svg width="18" height="18" aria-hidden="true"><g class="mark poll requeued" transform="translate(9,9)"><rect x="-7" y="-6" width="14" height="12" rx="3"/></g></svg> poll → requeued`,
  `<svg width="18" height="18" aria-hidden="true"><g class="mark poll threw" transform="translate(9,9)"><rect x="-7" y="-6" width="14" height="12" rx="3"/></g></svg> poll → threw`,
  `<svg width="18" height="18" aria-hidden="true"><g class="mark spawn" transform="translate(9,9)"><circle r="5"/></g></svg> spawn`,
  `<svg width="18" height="18" aria-hidden="true"><g class="mark timer" transform="translate(9,9)"><path d="M0,-7 L7,0 L0,7 L-7,0 z"/></g></svg> timer fires`,
  `<svg width="18" height="18" aria-hidden="true"><g class="mark complete" transform="translate(9,9)"><circle r="7"/><path class="glyph" d="M-3.5,0 L-1,3 L4,-3"/></g></svg> complete`,
  `<svg width="18" height="18" aria-hidden="true"><g class="mark fail" transform="translate(9,9)"><circle r="7"/><path class="glyph" d="M-3,-3 L3,3 M3,-3 L-3,3"/></g></svg> fail`,
  `<svg width="18" height="18" aria-hidden="true"><g class="mark cancel" transform="translate(9,9)"><circle r="7"/><path class="glyph" d="M-3,-3 L3,3 M3,-3 L-3,3"/></g></svg> cancelled`,
  `<svg width="34" height="12" aria-hidden="true"><line class="cause" x1="2" y1="6" x2="26" y2="6" marker-end="url(#arrow)"/></svg> wake / spawn by another task`,
].map((item) => `<span class="item">${item}</span>`).join(" ");

const STYLE = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5d6878; --band: #f7f9fc; --band2: #eef2f7; --run: #2f6fdf; --ready: #8f9bad; --park: #c58b12; }
* { box-sizing: border-box; }
body { margin: 0; padding: 20px 24px 32px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 20px; margin: 0 0 2px; }
.summary { margin: 0 0 14px; color: var(--muted); }
.controls { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; margin-bottom: 12px; }
.controls button { font: inherit; padding: 3px 10px; border: 1px solid #c7cfdb; border-radius: 6px; background: #f4f6fa; cursor: pointer; }
.controls button:hover { background: #e8edf5; }
#step { width: min(520px, 60vw); }
#readout { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; padding: 3px 8px; background: #f2f5fa; border-radius: 6px; white-space: pre; }
.chart { overflow-x: auto; border: 1px solid #dde3ec; border-radius: 8px; background: #fff; }
.chart svg { display: block; }
.band { fill: var(--band); }
.band.odd { fill: var(--band2); }
.corner { fill: #fff; }
.label { font-weight: 600; font-size: 13px; fill: var(--ink); }
.tick line { stroke: #d5dbe5; stroke-dasharray: 2 3; }
.tick text { font-size: 11px; fill: var(--muted); }
.state { stroke-linecap: round; }
.state.running { stroke: var(--run); stroke-width: 7; }
.state.ready { stroke: var(--ready); stroke-width: 2; }
.state.parked { stroke: var(--park); stroke-width: 2; stroke-dasharray: 4 4; }
.cause { stroke: #4b5566; stroke-width: 1.5; }
.arrowhead { fill: #4b5566; }
.mark { stroke: #fff; stroke-width: 1.5; fill: #56627a; cursor: default; }
.mark.poll.ready { fill: #2e9d57; }
.mark.poll.park { fill: #e0a21c; }
.mark.poll.requeued { fill: #4a7fe0; }
.mark.poll.threw { fill: #d23c3c; }
.mark.spawn { fill: #fff; stroke: #56627a; stroke-width: 2; }
.mark.timer { fill: #8a5cd0; }
.mark.complete { fill: #2e9d57; }
.mark.fail { fill: #d23c3c; }
.mark.cancel { fill: #8a94a6; }
.mark .glyph { fill: none; stroke: #fff; stroke-width: 2; stroke-linecap: round; }
.mark:hover { filter: brightness(1.15); }
.future { opacity: 0.13; }
#cursor { stroke: #d23c3c; stroke-width: 1.5; }
table.now { margin-top: 14px; border-collapse: collapse; font-size: 13px; }
table.now th { text-align: left; color: var(--muted); font-weight: 600; padding: 2px 18px 4px 0; border-bottom: 1px solid #dde3ec; }
table.now td { padding: 3px 18px 3px 0; vertical-align: top; }
table.now td.state, table.now td.last { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
table.now tr.changed td { background: #fff6d8; }
footer { margin-top: 16px; color: var(--muted); font-size: 12.5px; }
footer svg { vertical-align: middle; overflow: visible; margin: 0 3px 0 8px; }
footer p.legend { line-height: 2; }
footer .item { white-space: nowrap; margin-right: 10px; }
.empty { color: var(--muted); }
`;

// The replay: slider value k = how many moves have happened. Everything drawn for a move at or
// after k fades; a state line that spans k is cut at the cursor; the table shows each lane at k.
const SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("trace-data").textContent);
  var n = data.moves.length;
  var g = data.geometry;
  var slider = document.getElementById("step");
  var readout = document.getElementById("readout");
  var cursor = document.getElementById("cursor");
  var chart = document.getElementById("chart");
  var rows = document.querySelectorAll("#now tbody tr");
  var drawn = document.querySelectorAll("#lanes [data-k]");
  var STATE = ["not spawned yet", "ready to run", "running", "parked", "finished"];
  var labels = document.getElementById("labels");
  var labelById = {};
  data.ids.forEach(function (id, i) { labelById[id] = data.lanes[i]; });
  var panel = machinePanel(data, function (id) { return labelById[id] || "#" + id; });
  chart.addEventListener("scroll", function () { labels.setAttribute("transform", "translate(" + chart.scrollLeft + ",0)"); });
  function x(k) { return g.labelWidth + k * g.columnWidth + g.columnWidth / 2; }
  // Each lane's state, last move and what it is parked on, before move k: replayed from the
  // moves (cached, so stepping forward costs only the moves in between).
  var at = 0, state, last, waits;
  function reset() {
    at = 0;
    state = data.lanes.map(function () { return 0; });
    last = data.lanes.map(function () { return ""; });
    waits = data.lanes.map(function () { return "a future"; });
  }
  function replayTo(k) {
    if (k < at) reset();
    for (; at < k; at++) {
      var mv = data.moves[at];
      var c = mv[6];
      for (var j = 0; j < c.length; j += 2) state[c[j]] = c[j + 1];
      last[mv[1]] = mv[2];
      if (mv[3] >= 0) last[mv[3]] = mv[4];
      if (mv[5] !== null) waits[mv[1]] = mv[5];
    }
  }
  reset();
  function laneWords(lane) {
    var s = state[lane];
    return s === 3 ? "parked on " + waits[lane] : STATE[s];
  }
  function show(k) {
    k = Math.max(0, Math.min(n, k));
    slider.value = String(k);
    for (var i = 0; i < drawn.length; i++) {
      var el = drawn[i];
      var a = Number(el.getAttribute("data-k"));
      var b = el.getAttribute("data-k2");
      el.classList.toggle("future", a >= k);
      if (b !== null) {
        if (!el.hasAttribute("data-x2")) el.setAttribute("data-x2", el.getAttribute("x2"));
        var full = Number(el.getAttribute("data-x2"));
        // A state line that started before the cursor and goes on past it stops at the cursor.
        el.setAttribute("x2", String(a < k && k - 1 < Number(b) ? Math.min(full, x(k - 1) + g.columnWidth / 2) : full));
      }
    }
    if (k === 0) {
      cursor.setAttribute("visibility", "hidden");
      readout.textContent = "before the first move";
    } else {
      var mv = data.moves[k - 1];
      cursor.setAttribute("visibility", "visible");
      cursor.setAttribute("x1", String(x(k - 1)));
      cursor.setAttribute("x2", String(x(k - 1)));
      readout.textContent = "move " + k + " of " + n + " · t=" + mv[0] + " ms · " + data.lanes[mv[1]] + ": " + mv[2];
      var cx = x(k - 1);
      if (cx < chart.scrollLeft + g.labelWidth || cx > chart.scrollLeft + chart.clientWidth - 40) chart.scrollLeft = Math.max(0, cx - chart.clientWidth / 2);
    }
    replayTo(k);
    if (addressed && location.hash !== "#move=" + k && history.replaceState) history.replaceState(null, "", "#move=" + k);
    panel(k, n, k === 0 ? "" : data.lanes[data.moves[k - 1][1]] + ": " + data.moves[k - 1][2]);
    for (var r = 0; r < rows.length; r++) {
      rows[r].querySelector(".state").textContent = laneWords(r);
      rows[r].querySelector(".last").textContent = last[r];
      var mvk = k > 0 ? data.moves[k - 1] : null;
      rows[r].classList.toggle("changed", mvk !== null && (mvk[1] === r || mvk[3] === r));
    }
  }
  var timer = null;
  function stop() { if (timer !== null) { clearInterval(timer); timer = null; document.getElementById("play").textContent = "play"; } }
  slider.addEventListener("input", function () { stop(); show(Number(slider.value)); });
  document.getElementById("first").addEventListener("click", function () { stop(); show(0); });
  document.getElementById("prev").addEventListener("click", function () { stop(); show(Number(slider.value) - 1); });
  document.getElementById("next").addEventListener("click", function () { stop(); show(Number(slider.value) + 1); });
  document.getElementById("play").addEventListener("click", function () {
    if (timer !== null) return stop();
    if (Number(slider.value) >= n) show(0);
    this.textContent = "pause";
    timer = setInterval(function () {
      if (Number(slider.value) >= n) return stop();
      show(Number(slider.value) + 1);
    }, 400);
  });
  document.addEventListener("keydown", function (e) {
    if (e.target === slider) return;
    if (e.key === "ArrowLeft") { stop(); show(Number(slider.value) - 1); }
    if (e.key === "ArrowRight") { stop(); show(Number(slider.value) + 1); }
    if (e.key === "Home") { stop(); show(0); }
    if (e.key === "End") { stop(); show(n); }
  });
  // #move=37 opens the page after move 37 (the panel's link gives each move its address).
  function fromHash() {
    var h = /move=(\\d+)/.exec(location.hash);
    return h === null ? n : Number(h[1]);
  }
  window.addEventListener("hashchange", function () { stop(); show(fromHash()); });
  var addressed = false;
  show(fromHash());
  addressed = true; // from now on the address follows the current move
})();
`;

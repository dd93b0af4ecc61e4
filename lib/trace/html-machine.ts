// The machine panel of the HTML page: the driver's state after the current move (running task,
// run queue head first, parked tasks, armed timers in firing order, the clock), drawn beside the
// lanes and animated from move to move. The states come from MachineReplay, encoded as changes:
// a string table, and per move only what entered or left the queue, the parked set and the heap.

import type { TraceEvent } from "../events";
import { formatTime } from "./lanes";
import { MachineReplay, type MachineState, type StepInfo } from "./machine";
import { machineLines } from "./machine-text";
import type { Moves } from "./moves";
import { escapeHtml } from "./svg";

/** What the page's script needs to draw the panel at any move. */
export interface PanelData {
  /** Every text the states use, once. */
  strings: string[];
  /** Steps: [n, task, picked, queued, polling, site, ended] (strings as indices, -1 for none). */
  steps: number[][];
  /**
   * Each move as a change of the state before it: [t, running (-1 none), step (-1 none), queue,
   * parked, timers]. A part is null when unchanged, else [removed, added]: the queue removes
   * task ids and appends [task, why]…; parked removes ids and adds [task, on, site]…; timers remove
   * seqs and add [deadline, seq, task]…, flattened. A page of n moves costs O(n + changes).
   */
  states: (string | number | number[][] | null)[][];
}

/** The panel's data, and its text for the final state (what the page shows without its script). */
export function machinePanel(list: readonly TraceEvent[], m: Moves): { data: PanelData; finalText: string } {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const str = (s: string | undefined): number => {
    if (s === undefined) return -1;
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const steps: number[][] = [];
  const stepIndex = new Map<StepInfo, number>();
  const states: (string | number | number[][] | null)[][] = [];
  const replay = new MachineReplay();
  let prev: MachineState | undefined;
  let i = 0;
  for (const mv of m.moves) {
    for (; i <= mv.last; i++) replay.apply(list[i] as TraceEvent);
    const s = replay.snapshot();
    let st = -1;
    if (s.step !== undefined) {
      const known = stepIndex.get(s.step);
      if (known !== undefined) st = known;
      else {
        const x = s.step;
        st = steps.length;
        steps.push([x.n, x.task, str(x.picked), str(x.queued), str(x.polling), str(x.site), str(x.ended)]);
        stepIndex.set(x, st);
      }
    }
    // Queue entries are compared by identity: a task popped and pushed back in one move is a
    // removal and an append, and appends only ever go to the tail.
    const q = diff(prev?.queue ?? [], s.queue, (e) => e, (e) => [e.task], (e) => [e.task, str(e.why)]);
    const p = diff(prev?.parked ?? [], s.parked, (e) => `${e.task} ${e.t} ${e.on}`, (e) => [e.task], (e) => [e.task, str(e.on), str(e.site)]);
    const tm = diff(prev?.timers ?? [], s.timers, (e) => e.seq, (e) => [e.seq], (e) => [e.deadline, e.seq, e.task]);
    states.push([formatTime(s.t), s.running ?? -1, st, q, p, tm]);
    prev = s;
  }
  const finalText = prev === undefined ? "nothing has happened yet" : machineLines(prev, true).join("\n");
  return { data: { strings, steps, states }, finalText };
}

/** [removed, added] between two lists, matched by `key`; null when nothing changed. */
function diff<E>(before: readonly E[], after: readonly E[], key: (e: E) => unknown, removed: (e: E) => number[], added: (e: E) => number[]): number[][] | null {
  const old = new Set(before.map(key));
  const now = new Set(after.map(key));
  const out = before.filter((e) => !now.has(key(e))).flatMap(removed);
  const inn = after.filter((e) => !old.has(key(e))).flatMap(added);
  return out.length === 0 && inn.length === 0 ? null : [out, inn];
}

/** The panel's markup; the script fills it for the current move. */
export function panelHtml(finalText: string, n: number): string {
  return `<aside class="machine" id="machine" aria-label="the machine at this move" aria-live="polite">
<div class="mhead"><span id="m-move">after move ${n}</span> <a id="m-link" href="#move=${n}">link to this move</a></div>
<p class="what" id="m-what"></p>
<pre class="m-text" id="m-text">${escapeHtml(finalText)}</pre>
<section><h3>running <small>the task being polled</small></h3><ul class="chips" id="m-running"></ul><p class="laststep" id="m-last"></p></section>
<section><h3>run queue <small>head first: FIFO runs it next</small></h3><ol class="chips" id="m-queue"></ol><p class="more" id="m-queue-more"></p></section>
<section><h3>parked <small>waiting for a wake</small></h3><ul class="chips" id="m-parked"></ul><p class="more" id="m-parked-more"></p></section>
<section><h3>timers <small>firing order: deadline, then seq</small></h3><ol class="chips" id="m-timers"></ol><p class="more" id="m-timers-more"></p></section>
</aside>`;
}

export const PANEL_STYLE = `
.stage { display: flex; gap: 14px; align-items: flex-start; }
.stage .chart { flex: 1 1 auto; min-width: 0; }
.machine { flex: 0 0 360px; border: 1px solid #dde3ec; border-radius: 8px; padding: 10px 12px; background: #fbfcfe; font-size: 13px; }
.machine h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 10px 0 4px; }
.machine h3 small { text-transform: none; letter-spacing: 0; font-weight: 400; }
.mhead { display: flex; justify-content: space-between; font-weight: 600; }
.machine .what { margin: 4px 0 0; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
.machine .m-text { white-space: pre-wrap; font-size: 12px; }
.machine.live .m-text { display: none; }
.chips { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
.chip { border: 1px solid #cfd7e3; border-left-width: 5px; border-radius: 6px; padding: 3px 7px; background: #fff; display: flex; flex-direction: column; }
.chip .who { font-weight: 600; }
.chip .why, .chip .fut, .chip .site, .chip .wake { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 11.5px; color: #3b4454; }
.chip.running { border-left-color: var(--run); background: #eef4ff; }
.chip.queued { border-left-color: var(--ready); }
.chip.parked { border-left-color: var(--park); background: #fffaf0; }
.chip.timer { border-left-color: #8a5cd0; }
ol.chips { counter-reset: pos; }
ol.chips > li.chip .who::after { counter-increment: pos; content: "  · " counter(pos); color: var(--muted); font-weight: 400; }
.chips .none { color: var(--muted); font-style: italic; }
.machine .more { margin: 2px 0 0; color: var(--muted); font-size: 12px; }
.machine .more:empty { display: none; }
.laststep { margin: 2px 0 0; color: var(--muted); font-size: 12px; }
.chip.entering { animation: chip-in .35s ease-out; }
.chip.leaving { animation: chip-out .35s ease-in forwards; }
@keyframes chip-in { from { opacity: 0; transform: scale(.9); } to { opacity: 1; transform: none; } }
@keyframes chip-out { to { opacity: 0; transform: translateX(24px); } }
@media (prefers-reduced-motion: reduce) { .chip.entering, .chip.leaving { animation: none; } }
@media (max-width: 900px) { .stage { flex-direction: column; align-items: stretch; } .machine { flex-basis: auto; width: 100%; } }
`;

// The panel's script: draws the state after move k. Chips are keyed (task id, timer seq) and
// reused, so a task that goes from parked to the queue is the same element: it slides from its
// old place to its new one (first-last-invert-play), a new chip fades in, a removed one out.
export const PANEL_SCRIPT = `
function machinePanel(data, labelOf) {
  var m = data.machine, S = m.strings;
  var el = function (id) { return document.getElementById(id); };
  var box = el("machine"), lists = { running: el("m-running"), queue: el("m-queue"), parked: el("m-parked"), timers: el("m-timers") };
  var motion = !(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  box.classList.add("live");
  var chips = {};
  // Past MAX chips a list says how many more there are: a long list is read from its head, and
  // drawing hundreds of chips per step would make stepping slow.
  var MAX = 40, more = { queue: el("m-queue-more"), parked: el("m-parked-more"), timers: el("m-timers-more") };
  function s(i) { return i < 0 ? null : S[i]; }
  // The queue, parked set and heap after move k, replayed from the changes (forward from the
  // last position; from the start when going back).
  var at = 0, Q = [], P = [], T = [];
  function apply(d, get, width, rm) {
    if (d === null) return get;
    var out = get.filter(function (e) { return d[0].indexOf(e[rm]) < 0; });
    for (var i = 0; i < d[1].length; i += width) out.push(d[1].slice(i, i + width));
    return out;
  }
  function replayTo(k) {
    if (k < at) { at = 0; Q = []; P = []; T = []; }
    for (; at < k; at++) {
      var st = m.states[at];
      Q = apply(st[3], Q, 2, 0);
      P = apply(st[4], P, 3, 0).sort(function (a, b) { return a[0] - b[0]; });
      T = apply(st[5], T, 3, 1).sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    }
  }
  // A chip is rebuilt only when its words change, and a list is re-ordered only when its order
  // does: a step touches the few chips it changes, so long runs step as fast as short ones.
  function chip(key, cls, parts) {
    var li = chips[key];
    if (!li) { li = document.createElement("li"); li.setAttribute("data-key", key); chips[key] = li; li.fresh = true; }
    var sig = cls + "\u0000" + parts.join("\u0001");
    if (li.sig === sig) return li;
    li.sig = sig;
    li.className = "chip " + cls;
    while (li.firstChild) li.removeChild(li.firstChild);
    for (var i = 0; i < parts.length; i += 2) {
      if (parts[i + 1] === null) continue;
      var span = document.createElement("span"); span.className = parts[i]; span.textContent = parts[i + 1]; li.appendChild(span);
    }
    return li;
  }
  function stepWhy(st) { return "ran as " + s(st[2]) + "; it was " + s(st[3]); }
  return function show(k, n, moveText) {
    var before = {};
    if (motion && Object.keys(chips).length <= 60) for (var key in chips) if (chips[key].parentNode) before[key] = chips[key].getBoundingClientRect();
    var wanted = { running: [], queue: [], parked: [], timers: [] };
    el("m-move").textContent = k === 0 ? "before the first move" : "after move " + k + " of " + n + " · t=" + m.states[k - 1][0] + " ms";
    var link = el("m-link"); link.setAttribute("href", "#move=" + k); link.textContent = "link to move " + k;
    el("m-what").textContent = moveText;
    el("m-last").textContent = "";
    if (k > 0) {
      var st = m.states[k - 1], step = st[2] >= 0 ? m.steps[st[2]] : null;
      if (st[1] >= 0 && step) {
        wanted.running.push(chip("t" + st[1], "task running", ["who", labelOf(st[1]), "why", stepWhy(step), "fut", step[4] >= 0 ? "polling " + s(step[4]) : null, "site", step[5] >= 0 ? "yielded at " + s(step[5]) : null]));
      } else if (step) {
        el("m-last").textContent = "last step: " + labelOf(step[1]) + " " + stepWhy(step) + (step[6] >= 0 ? " → " + s(step[6]) : "");
      }
      replayTo(k);
      var owns = {}, i;
      for (i = 0; i < T.length; i++) if (owns[T[i][2]] === undefined) owns[T[i][2]] = "timer t=" + T[i][0] + " #" + T[i][1];
      for (i = 0; i < Math.min(Q.length, MAX); i++) wanted.queue.push(chip("t" + Q[i][0], "task queued", ["who", labelOf(Q[i][0]), "why", s(Q[i][1])]));
      for (i = 0; i < Math.min(P.length, MAX); i++) wanted.parked.push(chip("t" + P[i][0], "task parked", ["who", labelOf(P[i][0]), "why", "on " + s(P[i][1]), "site", P[i][2] >= 0 ? "yielded at " + s(P[i][2]) : null, "wake", owns[P[i][0]] !== undefined ? "⇠ " + owns[P[i][0]] : null]));
      for (i = 0; i < Math.min(T.length, MAX); i++) wanted.timers.push(chip("s" + T[i][1], "timer", ["who", "t=" + T[i][0] + " #" + T[i][1], "why", "wakes " + labelOf(T[i][2])]));
    }
    var total = { running: wanted.running.length, queue: k > 0 ? Q.length : 0, parked: k > 0 ? P.length : 0, timers: k > 0 ? T.length : 0 };
    for (var part in more) more[part].textContent = total[part] > MAX ? "… and " + (total[part] - MAX) + " more" : "";
    var keep = {};
    for (var name in lists) {
      var list = lists[name], items = wanted[name];
      var gone = list.querySelectorAll(".leaving");
      for (var g = 0; g < gone.length; g++) list.removeChild(gone[g]);
      var same = items.length === 0 ? list.children.length === 1 && list.children[0].className === "none" : list.children.length === items.length;
      for (var j = 0; j < items.length; j++) {
        keep[items[j].getAttribute("data-key")] = true;
        if (same && list.children[j] !== items[j]) same = false;
      }
      if (!same) {
        var none = list.querySelector(".none");
        if (none) list.removeChild(none);
        for (j = 0; j < items.length; j++) list.appendChild(items[j]);
        if (items.length === 0) { none = document.createElement("li"); none.className = "none"; none.textContent = name === "running" ? "nothing: between steps" : "empty"; list.appendChild(none); }
      }
    }
    for (var key2 in chips) {
      var c = chips[key2];
      if (keep[key2]) continue;
      delete chips[key2];
      if (!c.parentNode) continue;
      if (motion && before[key2]) { c.classList.add("leaving"); c.removeAttribute("data-key"); setTimeout((function (x) { return function () { if (x.parentNode) x.parentNode.removeChild(x); }; })(c), 360); }
      else c.parentNode.removeChild(c);
    }
    // First–last–invert–play, batched: one layout to read every new place, one to start.
    var moved = [], many = 0;
    for (var key3 in keep) {
      var li = chips[key3];
      if (li.fresh) { li.fresh = false; if (motion && k > 0) li.classList.add("entering"); continue; }
      if (motion && before[key3]) moved.push(li);
    }
    if (moved.length === 0 || moved.length > 60) return; // past a few dozen chips, motion only blurs
    var shift = moved.map(function (li) { var o = before[li.getAttribute("data-key")], r = li.getBoundingClientRect(); return [o.left - r.left, o.top - r.top]; });
    moved.forEach(function (li, j) { if (shift[j][0] || shift[j][1]) { many++; li.style.transition = "none"; li.style.transform = "translate(" + shift[j][0] + "px," + shift[j][1] + "px)"; } });
    if (many === 0) return;
    box.getBoundingClientRect();
    moved.forEach(function (li, j) { if (shift[j][0] || shift[j][1]) { li.style.transition = "transform .35s ease"; li.style.transform = ""; } });
  };
}
`;

// The ssmlkit preview page: plain JavaScript, no build step, no network beyond this server.
// Text from the document and from the server is always set with textContent, never as HTML.
"use strict";

const EXAMPLE = [
  '<speak voice="longanyang" rate="1.0">',
  "  今天天气很好，我们去公园散步吧。",
  '  <break time="1s"/>',
  "  然后一起吃午饭。",
  "</speak>",
  '<speak voice="longxiaochun_v2">Hello from the second voice.</speak>',
  "",
].join("\n");
const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#edc948", "#9c755f"];
const MODEL = "tongyi/cosyvoice-v3-flash";

const $ = (id) => document.getElementById(id);
const editor = $("editor");
const gutter = $("gutter");
let lintSeq = 0;
let lintTimer = null;
let audioUrl = null;
let timeline = null;

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function postJSON(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return response;
}

async function errorText(response) {
  try {
    const data = await response.json();
    return (data.error && data.error.message) || response.statusText;
  } catch (e) {
    return response.statusText;
  }
}

// ------------------------------------------------------------------ gutter and diagnostics

function drawGutter(marks) {
  const count = editor.value.split("\n").length;
  gutter.replaceChildren();
  for (let i = 1; i <= count; i++) {
    const span = el("span", "mark" + (marks[i] ? " " + marks[i] : ""), String(i));
    span.dataset.line = String(i);
    gutter.append(span, "\n");
  }
  gutter.scrollTop = editor.scrollTop;
}

const RANK = { error: 3, warning: 2, info: 1 };
let currentMarks = {};

function drawDiagnostics(diagnostics) {
  const list = $("diagnostics");
  list.replaceChildren();
  const marks = {};
  for (const d of diagnostics) {
    if (!marks[d.line] || RANK[d.severity] > RANK[marks[d.line]]) marks[d.line] = d.severity;
    const li = el("li", d.severity);
    li.dataset.line = String(d.line);
    li.dataset.code = d.code;
    li.append(el("span", "where", `${d.line}:${d.column}`), el("span", "code", d.code), d.message);
    li.addEventListener("click", () => goToLine(d.line, d.column));
    list.append(li);
  }
  if (diagnostics.length === 0) list.append(el("li", "clean", "No problems found."));
  currentMarks = marks;
  drawGutter(marks);
}

function goToLine(line, column) {
  const lines = editor.value.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  offset += Math.max(0, (column || 1) - 1);
  editor.focus();
  editor.setSelectionRange(offset, offset);
}

async function lintNow() {
  const seq = ++lintSeq;
  const text = editor.value;
  $("lint-status").textContent = "checking…";
  try {
    const response = await postJSON("/v1/lint", { input: text });
    if (seq !== lintSeq) return; // a newer edit is on its way
    if (!response.ok) {
      $("lint-status").textContent = await errorText(response);
      return;
    }
    const report = await response.json();
    const file = report.files[0] || { diagnostics: [] };
    drawDiagnostics(file.diagnostics);
    const s = report.summary;
    $("lint-status").textContent = `${s.errors} error(s), ${s.warnings} warning(s)`;
    document.body.dataset.linted = String(seq);
  } catch (e) {
    $("lint-status").textContent = "the server did not answer: " + e;
  }
  chunksNow(text);
}

// ------------------------------------------------------------------------------ chunk map

async function chunksNow(text) {
  const list = $("chunks");
  const limit = parseInt($("max-chars").value, 10) || 20000;
  const response = await postJSON("/v1/chunks", { input: text, max_chars: limit });
  if (!response.ok) {
    list.replaceChildren(el("li", "over", await errorText(response)));
    return;
  }
  const data = await response.json();
  list.replaceChildren();
  for (const c of data.chunks) {
    const li = el("li", c.chars > limit ? "over" : "");
    const bar = el("span", "bar");
    const fill = el("span", "fill");
    fill.style.width = Math.min(100, (100 * c.chars) / limit).toFixed(1) + "%";
    bar.append(fill);
    const lines = c.source_lines
      ? c.source_lines[0] === c.source_lines[1]
        ? `line ${c.source_lines[0]}`
        : `lines ${c.source_lines[0]}-${c.source_lines[1]}`
      : "";
    li.append(bar, `${c.chars.toLocaleString()} / ${limit.toLocaleString()} ${lines}`);
    li.addEventListener("click", () => c.source_lines && goToLine(c.source_lines[0], 1));
    list.append(li);
  }
}

// ------------------------------------------------------------------------- play and timeline

async function play() {
  const status = $("play-status");
  const button = $("play");
  button.disabled = true;
  status.textContent = "rendering…";
  try {
    const response = await postJSON("/v1/audio/speech", {
      model: MODEL,
      voice: $("voice").value || "longanyang",
      input: editor.value,
      enable_ssml: true,
      response_format: "wav",
    });
    if (!response.ok) {
      status.textContent = await errorText(response);
      return;
    }
    const where = response.headers.get("X-SSMLKit-Timeline");
    const blob = await response.blob();
    if (audioUrl) URL.revokeObjectURL(audioUrl);
    audioUrl = URL.createObjectURL(blob);
    const audio = $("audio");
    delete audio.dataset.ready;
    audio.src = audioUrl;
    audio.dataset.bytes = String(blob.size);
    timeline = null;
    $("timeline").replaceChildren();
    if (where) {
      const t = await fetch(where);
      if (t.ok) {
        timeline = await t.json();
        drawTimeline(timeline);
      }
    }
    status.textContent = timeline ? `${timeline.duration.toFixed(2)} s` : "";
    audio.play().catch(() => {}); // a browser may refuse to start sound by itself; the controls remain
  } catch (e) {
    status.textContent = "the server did not answer: " + e;
  } finally {
    button.disabled = false;
  }
}

function drawTimeline(tl) {
  const box = $("timeline");
  box.replaceChildren();
  const span = Math.max(tl.duration, 0.001);
  const pct = (t) => ((100 * Math.min(Math.max(t, 0), span)) / span).toFixed(3) + "%";
  const voices = [];
  for (const seg of tl.segments) {
    const voice = seg.voice || "(default)";
    if (!voices.includes(voice)) voices.push(voice);
    const block = el("div", "seg" + (seg.estimated ? " estimated" : ""), seg.text);
    block.style.left = pct(seg.start);
    block.style.width = `calc(${pct(seg.end)} - ${pct(seg.start)})`;
    block.style.background = PALETTE[voices.indexOf(voice) % PALETTE.length];
    block.title = `${seg.start.toFixed(2)}–${seg.end.toFixed(2)} s ${voice}: ${seg.text}`;
    block.addEventListener("click", () => { $("audio").currentTime = seg.start; });
    box.append(block);
  }
  for (const b of tl.breaks) {
    const block = el("div", "brk");
    block.style.left = pct(b.start);
    block.style.width = `calc(${pct(b.end)} - ${pct(b.start)})`;
    block.title = `break ${(b.end - b.start).toFixed(2)} s`;
    box.append(block);
  }
  for (const c of tl.chunks.slice(1)) {
    const cut = el("div", "cut");
    cut.style.left = pct(c.start);
    cut.title = `chunk ${c.index + 1}`;
    box.append(cut);
  }
  const step = [0.5, 1, 2, 5, 10, 30, 60, 300, 600].find((s) => span / s <= 10) || 1800;
  for (let t = 0; t <= span + 1e-9; t += step) {
    const tick = el("div", t === 0 ? "axis first" : "axis", `${+t.toFixed(1)}s`);
    tick.style.left = pct(t);
    box.append(tick);
  }
  const cursor = el("div", "cursor");
  cursor.id = "cursor";
  box.append(cursor);
  const legend = $("legend");
  legend.replaceChildren();
  voices.forEach((v, i) => {
    const item = el("span");
    const swatch = el("i");
    swatch.style.background = PALETTE[i % PALETTE.length];
    item.append(swatch, v);
    legend.append(item);
  });
  box.dataset.segments = String(tl.segments.length);
}

// --------------------------------------------------------------------------------- wiring

editor.addEventListener("input", () => {
  drawGutter(currentMarks);
  clearTimeout(lintTimer);
  lintTimer = setTimeout(lintNow, 250);
});
editor.addEventListener("scroll", () => { gutter.scrollTop = editor.scrollTop; });
editor.addEventListener("keydown", (event) => {
  if (event.key === "Tab") {
    event.preventDefault();
    editor.setRangeText("  ", editor.selectionStart, editor.selectionEnd, "end");
    editor.dispatchEvent(new Event("input"));
  }
});
$("max-chars").addEventListener("change", () => chunksNow(editor.value));
$("play").addEventListener("click", play);
$("audio").addEventListener("loadedmetadata", () => { $("audio").dataset.ready = "1"; });
$("audio").addEventListener("timeupdate", () => {
  const cursor = $("cursor");
  if (cursor && timeline) {
    cursor.style.left = ((100 * $("audio").currentTime) / Math.max(timeline.duration, 0.001)) + "%";
  }
});

editor.value = EXAMPLE;
drawGutter({});
lintNow();

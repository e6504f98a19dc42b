import { RUNTIME_FILE } from './runtime-bundle.js';

/** What the page shows about the model, embedded in it as JSON. */
export interface PageInfo {
  task: string;
  labels: string[];
  multiLabel: boolean;
  modelBytes: number;
  metrics?: { split: string; n: number; accuracy: number; macroF1: number };
  created?: string;
}

export const PAGE_FILE = 'index.html';
export const WORKER_FILE = 'worker.js';
export const MODEL_FILE = 'student.bin';

/**
 * The static page of `apprentice export runtime`: type a text, see the labels and probabilities,
 * computed in the page by the runtime (nothing is sent anywhere). It also exposes
 * `window.apprentice` ({ ready, predict, predictInWorker, info }) so a script, such as the browser
 * test, can drive it. ES modules and fetch need http(s), so the page is served, not opened as a file.
 */
export function runtimePage(info: PageInfo): string {
  // `<` escaped, so no label text can close the script element.
  const json = JSON.stringify(info).replace(/</g, '\\u003c');
  const title = escapeHtml(info.task);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title} · Apprentice student</title>
<style>${CSS}</style>
</head>
<body data-state="loading">
<main>
  <header>
    <p class="eyebrow">Apprentice student · runs in this page</p>
    <h1>${title}</h1>
    <p id="meta" class="meta"></p>
  </header>
  <label for="text">Text to classify</label>
  <textarea id="text" rows="4" placeholder="Type or paste a text…" autofocus></textarea>
  <p id="status" class="status" role="status">Loading the model…</p>
  <section id="result" aria-live="polite" hidden>
    <div class="predicted"><span class="caption">Predicted</span><span id="labels"></span></div>
    <ol id="scores"></ol>
    <button id="more" type="button" hidden></button>
  </section>
  <footer>No server, no network call per prediction: <code>${RUNTIME_FILE}</code> and <code>${MODEL_FILE}</code> are all it needs.</footer>
</main>
<script type="application/json" id="model-info">${json}</script>
<script type="module">${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** The Web Worker of the export: the same runtime off the main thread. Messages: {id, text} → {id, result | error}. */
export function runtimeWorker(): string {
  return `// Predicts off the main thread: postMessage({ id, text }) → { id, result } or { id, error }.
import { loadStudent } from './${RUNTIME_FILE}';

const ready = loadStudent(new URL('./${MODEL_FILE}', import.meta.url));
self.onmessage = async (event) => {
  const { id, text } = event.data;
  try {
    const student = await ready;
    self.postMessage({ id, result: student.predict(text) });
  } catch (error) {
    self.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
};
`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const SHOWN = 8;

const PAGE_SCRIPT = `
import { loadStudent } from './${RUNTIME_FILE}';

const info = JSON.parse(document.getElementById('model-info').textContent);
const $ = (id) => document.getElementById(id);
const ready = loadStudent(new URL('./${MODEL_FILE}', import.meta.url));

let worker;
let nextId = 0;
const pending = new Map();
function predictInWorker(texts) {
  if (!worker) {
    worker = new Worker(new URL('./${WORKER_FILE}', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }) => {
      const p = pending.get(data.id);
      pending.delete(data.id);
      if (data.error) p.reject(new Error(data.error));
      else p.resolve(data.result);
    };
  }
  return Promise.all(texts.map((text) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, text });
  })));
}
window.apprentice = { info, ready, predict: async (text) => (await ready).predict(text), predictInWorker };

const pct = (x) => (x > 0 && x < 0.001 ? '<0.1' : (x * 100).toFixed(x >= 0.995 || x === 0 ? 0 : 1)) + '%';
const kb = (n) => (n / 1024).toFixed(n < 10240 ? 1 : 0) + ' KB';
const m = info.metrics;
$('meta').textContent = [
  info.labels.length + ' labels' + (info.multiLabel ? ', multi-label' : ''),
  m ? 'accuracy ' + pct(m.accuracy) + ', macro-F1 ' + m.macroF1.toFixed(3) + ' on ' + m.n + ' ' + m.split + ' texts' : '',
  'model ' + kb(info.modelBytes),
].filter(Boolean).join(' · ');

let showAll = false;
function render(student) {
  const text = $('text').value;
  if (!text.trim()) {
    $('result').hidden = true;
    $('status').textContent = 'Ready. Type a text to see its labels.';
    return;
  }
  const t0 = performance.now();
  const p = student.predict(text);
  const ms = performance.now() - t0;
  $('status').textContent = 'Predicted in ' + (ms < 1 ? Math.max(1, Math.round(ms * 1000)) + ' µs' : ms.toFixed(1) + ' ms') + ', in this page.';
  $('labels').replaceChildren(...(p.labels.length ? p.labels : ['(none)']).map((l) => {
    const chip = document.createElement('span');
    chip.className = 'chip' + (p.labels.length ? '' : ' none');
    chip.textContent = l;
    return chip;
  }));
  const chosen = new Set(p.labels);
  const rows = showAll ? p.scores : p.scores.slice(0, ${SHOWN});
  $('scores').replaceChildren(...rows.map(({ label, score }) => {
    const li = document.createElement('li');
    if (chosen.has(label)) li.className = 'chosen';
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = label;
    const bar = document.createElement('span');
    bar.className = 'bar';
    const fill = document.createElement('span');
    fill.style.width = (score * 100).toFixed(2) + '%';
    bar.append(fill);
    const value = document.createElement('span');
    value.className = 'value';
    value.textContent = pct(score);
    li.append(name, bar, value);
    return li;
  }));
  const hidden = p.scores.length - ${SHOWN};
  $('more').hidden = hidden <= 0;
  $('more').textContent = showAll ? 'Show the top ${SHOWN}' : 'Show all ' + p.scores.length + ' labels';
  $('result').hidden = false;
}

ready.then((student) => {
  document.body.dataset.state = 'ready';
  const go = () => render(student);
  $('text').addEventListener('input', go);
  $('more').addEventListener('click', () => { showAll = !showAll; go(); });
  go();
}, (error) => {
  document.body.dataset.state = 'error';
  $('status').className = 'status error';
  $('status').textContent = 'Could not load the model: ' + error.message +
    (location.protocol === 'file:' ? ' — serve this folder over http, e.g. python3 -m http.server' : '');
});
`;

export const CSS = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5d6678; --line: #e3e6ec; --accent: #3b5bdb; --accent-soft: #dbe4ff; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; background: #f4f5f8; color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 720px; margin: 40px auto; background: #fff; border: 1px solid var(--line); border-radius: 14px;
  padding: 28px 32px 20px; box-shadow: 0 1px 2px rgba(16,24,40,.04), 0 8px 24px rgba(16,24,40,.06); }
.eyebrow { margin: 0; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: var(--accent); font-weight: 600; }
h1 { margin: 4px 0 2px; font-size: 26px; line-height: 1.25; }
.meta { margin: 0 0 20px; color: var(--muted); font-size: 14px; }
label { display: block; font-weight: 600; font-size: 14px; margin-bottom: 6px; }
textarea { width: 100%; resize: vertical; font: inherit; padding: 12px 14px; border: 1px solid #cfd4dd; border-radius: 10px; }
textarea:focus { outline: 3px solid var(--accent-soft); border-color: var(--accent); }
.status { color: var(--muted); font-size: 13px; margin: 8px 0 16px; min-height: 1.5em; }
.status.error { color: #c92a2a; }
.predicted { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; margin-bottom: 14px; }
.caption { font-size: 13px; color: var(--muted); margin-right: 4px; }
.chip { background: var(--accent); color: #fff; border-radius: 999px; padding: 3px 12px; font-weight: 600; font-size: 15px; }
.chip.none { background: #e9ecef; color: var(--muted); }
ol { list-style: none; padding: 0; margin: 0; }
li { display: grid; grid-template-columns: minmax(120px, 200px) 1fr 56px; gap: 12px; align-items: center; padding: 5px 0; font-size: 14px; }
li .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
li.chosen .name { font-weight: 700; }
.bar { height: 10px; background: #eef0f4; border-radius: 999px; overflow: hidden; }
.bar span { display: block; height: 100%; background: #a5b4d8; border-radius: 999px; }
li.chosen .bar span { background: var(--accent); }
.value { text-align: right; font-variant-numeric: tabular-nums; color: var(--muted); }
button { margin-top: 8px; background: none; border: 0; color: var(--accent); font: inherit; font-size: 13px; cursor: pointer; padding: 0; }
footer { margin-top: 22px; padding-top: 14px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12px; }
code { font-size: 12px; background: #f1f3f5; padding: 1px 5px; border-radius: 4px; }
`;

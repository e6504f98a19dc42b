import { RUNTIME_EXTRACT_FILE } from './runtime-bundle.js';
import { CSS, escapeHtml, MODEL_FILE, WORKER_FILE } from './runtime-page.js';

/** What the extraction page shows about the model, embedded in it as JSON. */
export interface ExtractPageInfo {
  task: string;
  types: string[];
  modelBytes: number;
  metrics?: { split: string; n: number; precision: number; recall: number; f1: number };
  created?: string;
}

/** The Web Worker: the extraction runtime off the main thread. Messages: {id, text} → {id, result | error}. */
export function extractWorker(): string {
  return `// Tags off the main thread: postMessage({ id, text }) → { id, result } or { id, error }.
import { loadExtractor } from './${RUNTIME_EXTRACT_FILE}';

const ready = loadExtractor(new URL('./${MODEL_FILE}', import.meta.url));
self.onmessage = async (event) => {
  const { id, text } = event.data;
  try {
    const extractor = await ready;
    self.postMessage({ id, result: extractor.extract(text) });
  } catch (error) {
    self.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
};
`;
}

const PAGE_SCRIPT = `
import { loadExtractor } from './${RUNTIME_EXTRACT_FILE}';

const info = JSON.parse(document.getElementById('model-info').textContent);
const $ = (id) => document.getElementById(id);
const ready = loadExtractor(new URL('./${MODEL_FILE}', import.meta.url));
window.apprentice = { info, ready, extract: async (text) => (await ready).extract(text) };

const kb = (n) => (n / 1024).toFixed(n < 10240 ? 1 : 0) + ' KB';
const m = info.metrics;
$('meta').textContent = [
  info.types.length + ' types: ' + info.types.join(', '),
  m ? 'entity F1 ' + m.f1.toFixed(3) + ' on ' + m.n + ' ' + m.split + ' texts' : '',
  'model ' + kb(info.modelBytes),
].filter(Boolean).join(' · ');

function render(extractor) {
  const text = $('text').value;
  if (!text.trim()) {
    $('result').hidden = true;
    $('status').textContent = 'Ready. Type a text to see its entities.';
    return;
  }
  const t0 = performance.now();
  const p = extractor.extract(text);
  const ms = performance.now() - t0;
  $('status').textContent = 'Tagged in ' + ms.toFixed(1) + ' ms, in this page.';
  // Text nodes only: nothing typed is ever parsed as HTML.
  const parts = [];
  let at = 0;
  for (const s of p.spans) {
    parts.push(document.createTextNode(text.slice(at, s.start)));
    const mark = document.createElement('mark');
    mark.textContent = s.text;
    mark.title = s.type + ' ' + (s.score * 100).toFixed(1) + '%';
    const tag = document.createElement('span');
    tag.className = 'tag';
    tag.textContent = s.type;
    mark.append(tag);
    parts.push(mark);
    at = s.end;
  }
  parts.push(document.createTextNode(text.slice(at)));
  $('highlighted').replaceChildren(...parts);
  $('spans').replaceChildren(...(p.spans.length ? p.spans : [null]).map((s) => {
    const li = document.createElement('li');
    li.textContent = s ? s.type + ': ' + s.text + ' [' + s.start + ', ' + s.end + ') ' + (s.score * 100).toFixed(1) + '%' : '(no entities)';
    return li;
  }));
  $('result').hidden = false;
}

ready.then((extractor) => {
  document.body.dataset.state = 'ready';
  const go = () => render(extractor);
  $('text').addEventListener('input', go);
  go();
}, (error) => {
  document.body.dataset.state = 'error';
  $('status').className = 'status error';
  $('status').textContent = 'Could not load the model: ' + error.message +
    (location.protocol === 'file:' ? ' — serve this folder over http, e.g. python3 -m http.server' : '');
});
`;

const EXTRA_CSS = `
#highlighted { white-space: pre-wrap; line-height: 2; margin-bottom: 12px; }
mark { background: var(--accent-soft); border-radius: 4px; padding: 1px 3px; }
mark .tag { font-size: 11px; color: var(--accent); font-weight: 600; margin-left: 4px; text-transform: uppercase; }
#spans li { display: list-item; font-size: 14px; padding: 2px 0; }
`;

/**
 * The static page of `apprentice export runtime` for an extraction model: type a text, see its
 * entities highlighted, tagged in the page by the extraction runtime (nothing is sent anywhere).
 * `window.apprentice` ({ ready, extract, info }) lets a script drive it.
 */
export function extractPage(info: ExtractPageInfo): string {
  const json = JSON.stringify(info).replace(/</g, '\\u003c');
  const title = escapeHtml(info.task);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title} · Apprentice student</title>
<style>${CSS}${EXTRA_CSS}</style>
</head>
<body data-state="loading">
<main>
  <header>
    <p class="eyebrow">Apprentice extraction student · runs in this page</p>
    <h1>${title}</h1>
    <p id="meta" class="meta"></p>
  </header>
  <label for="text">Text to tag</label>
  <textarea id="text" rows="4" placeholder="Type or paste a text…" autofocus></textarea>
  <p id="status" class="status" role="status">Loading the model…</p>
  <section id="result" aria-live="polite" hidden>
    <div id="highlighted"></div>
    <ol id="spans"></ol>
  </section>
  <footer>No server, no network call per text: <code>${RUNTIME_EXTRACT_FILE}</code> and <code>${MODEL_FILE}</code> are all it needs (<code>${WORKER_FILE}</code> tags off the main thread).</footer>
</main>
<script type="application/json" id="model-info">${json}</script>
<script type="module">${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

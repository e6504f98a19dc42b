import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from '../cli/cli-harness.js';
import type { LedgerEntry } from '../store/types.js';
import { modelCardMarkdown } from '../run/model-card-md.js';

/**
 * The dataset exports and the model card on a real run: `apprentice distill` on the offline
 * support-routing example, then every export through the real binary, and every file parsed the
 * way its consumer would.
 */
const TASK = path.join(REPO_ROOT, 'examples', 'support-routing', 'task.yaml');
const tmp = tempDir('apprentice-export-');
const run = path.join(tmp.dir, 'run');
let training: { id: string; text: string; labels: string[]; source: string }[];
let labels: string[];

const jsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

beforeAll(async () => {
  const r = await runCli(['distill', TASK, '--out', run], { cwd: tmp.dir });
  expect(r.code, r.stderr).toBe(0);
  training = jsonl(path.join(run, 'training.jsonl'));
  labels = JSON.parse(readFileSync(path.join(run, 'task.json'), 'utf8')).labels.map((l: { name: string }) => l.name);
  // A real distill run: on a busy shared machine it can take over the default hook limit.
}, 600_000);
afterAll(() => tmp.cleanup());

describe('model card (model/MODEL_CARD.md)', () => {
  it('is written with every run: labels with scores, provenance, teacher, student next to teacher, use and limits', () => {
    const md = readFileSync(path.join(run, 'model', 'MODEL_CARD.md'), 'utf8');
    const summary = JSON.parse(readFileSync(path.join(run, 'summary.json'), 'utf8'));
    for (const l of summary.final.perLabel) expect(md).toContain(`| ${l.label} | ${l.precision.toFixed(3)} |`);
    expect(md).toContain(`${training.length} rows`);
    expect(md).toMatch(/\| pool \| \d+ \|/);
    expect(md).toContain(summary.teacher.id);
    expect(md).toMatch(/## Student next to the teacher[\s\S]*per 1,000 predictions/);
    expect(md).toMatch(/## Intended use[\s\S]*## Limits/);
  });

  it('puts the teacher latency and price per 1,000 from the ledger next to the student', () => {
    const entry = (e: Partial<LedgerEntry>): LedgerEntry => ({
      runId: 'r',
      teacher: 'openai:gpt-4o-mini',
      kind: 'label',
      key: 'k',
      answers: 10,
      cached: false,
      httpRequests: 1,
      paidRequests: 1,
      inputTokens: 100,
      outputTokens: 10,
      dollars: 0.002,
      dollarsUsed: 0.002,
      ms: 1500,
      at: '',
      ...e,
    });
    const md = modelCardMarkdown({
      summary: {
        runId: 'r',
        dir: '/x',
        status: 'complete',
        stopReason: 'budget',
        task: 't',
        teacher: {
          id: 'openai:gpt-4o-mini',
          kind: 'llm',
          answers: 20,
          requests: 2,
          cacheHits: 0,
          dollars: 0.004,
          dollarsUsed: 0.004,
          inputTokens: 200,
          outputTokens: 20,
          rejected: 1,
        },
        student: { kind: 'hashed-linear', modelBytes: 2048, microsPerPrediction: 25 },
        final: {
          n: 10,
          accuracy: 0.9,
          macroF1: 0.85,
          perLabel: [{ label: 'a', precision: 1, recall: 0.8, f1: 0.889, support: 5 }],
          labels: ['a', 'b'],
          split: 'validation',
        },
        rounds: [],
        trainingRows: 2,
        poolExcludedAsLeakage: 0,
        ms: 1,
      },
      task: { name: 't', instruction: 'Sort things.', multiLabel: false, labels: [{ name: 'a' }, { name: 'b' }] },
      examples: [
        { source: 'pool', round: 0, teacher: 'openai:gpt-4o-mini', labels: ['a'] },
        { source: 'generated', round: 1, teacher: 'openai:gpt-4o-mini', labels: ['b'] },
      ],
      ledger: [entry({}), entry({ ms: 500 }), entry({ cached: true, httpRequests: 0, ms: 99_999 })],
    });
    // 2000 ms over 20 answers = 100 ms per answer; $0.004 / 20 answers = $0.20 per 1,000.
    expect(md).toContain('| teacher (`openai:gpt-4o-mini`) | 100 ms | 100.0 s | $0.20 |');
    expect(md).toContain('| student (`hashed-linear`, one CPU core) | 25 µs | 25 ms |');
    expect(md).toMatch(/agreement with the teacher/);
    expect(md).toContain('| b | – | – | – | 0 | 1 |');
  });
});

describe('apprentice export hf-dataset', () => {
  it('writes train/validation JSONL with provenance columns and a dataset card', async () => {
    const r = await runCli(['export', 'hf-dataset', run, '--out', 'hf', '--license', 'cc-by-4.0', '--json'], {
      cwd: tmp.dir,
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.train + out.validation).toBe(training.length);
    const rows = [
      ...jsonl(path.join(tmp.dir, 'hf', 'train.jsonl')),
      ...jsonl(path.join(tmp.dir, 'hf', 'validation.jsonl')),
    ];
    expect(rows.map((row) => row.id).sort()).toEqual(training.map((t) => t.id).sort());
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(
        ['attributes', 'confidence', 'id', 'label', 'reviewer', 'round', 'source', 'teacher', 'text'].sort(),
      );
      expect(labels).toContain(row.label);
      expect(['seed', 'pool', 'generated']).toContain(row.source);
    }
    expect(out.validation).toBeGreaterThan(0);
    const card = readFileSync(path.join(tmp.dir, 'hf', 'README.md'), 'utf8');
    expect(card).toMatch(/^---\nlicense: cc-by-4.0\n[\s\S]*task_categories:\n- text-classification[\s\S]*\n---\n/);
    expect(card).toContain('path: train.jsonl');
    for (const l of labels) expect(card).toContain(`| ${l} |`);
    expect(card).toMatch(/## Known limits/);
  });
});

describe('apprentice export openai-finetune', () => {
  it('writes chat-format JSONL: system = instruction and labels, user = text, assistant = label', async () => {
    const r = await runCli(['export', 'openai-finetune', run, '--out', 'oa'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const rows = jsonl(path.join(tmp.dir, 'oa', 'train.jsonl'));
    expect(rows.length).toBeGreaterThanOrEqual(10);
    const byText = new Map(training.map((t) => [t.text, t.labels]));
    for (const row of rows) {
      expect(row.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant']);
      expect(row.messages[0].content).toContain('You triage incoming customer-support messages');
      expect(byText.get(row.messages[1].content)).toEqual([row.messages[2].content]);
    }
  });
});

describe('apprentice export fasttext', () => {
  it('writes __label__ lines fastText reads', async () => {
    const r = await runCli(['export', 'fasttext', run, '--out', 'ft', '--validation', '0.2'], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = [
      ...readFileSync(path.join(tmp.dir, 'ft', 'train.txt'), 'utf8')
        .trimEnd()
        .split('\n'),
      ...readFileSync(path.join(tmp.dir, 'ft', 'validation.txt'), 'utf8')
        .trimEnd()
        .split('\n'),
    ];
    expect(lines.length).toBe(training.filter((t) => t.text.trim()).length);
    for (const l of lines) expect(l).toMatch(new RegExp(`^__label__(${labels.join('|')}) \\S.*$`));
  });
});

describe('export errors', () => {
  it('refuses to overwrite without --force (exit 2, says how), and overwrites with it', async () => {
    const first = await runCli(['export', 'fasttext', run, '--out', 'again'], { cwd: tmp.dir });
    expect(first.code).toBe(0);
    const second = await runCli(['export', 'fasttext', run, '--out', 'again'], { cwd: tmp.dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/already holds train\.txt, validation\.txt[\s\S]*--force/);
    const forced = await runCli(['export', 'fasttext', run, '--out', 'again', '--force'], { cwd: tmp.dir });
    expect(forced.code, forced.stderr).toBe(0);
  });

  it('names the missing or malformed run file (exit 3) and the unknown kind (exit 2)', async () => {
    const bad = path.join(tmp.dir, 'bad-run');
    mkdirSync(bad, { recursive: true });
    const missing = await runCli(['export', 'hf-dataset', bad, '--out', 'x'], { cwd: tmp.dir });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/task\.json is missing[\s\S]*hint: pass a finished run directory/);
    for (const f of ['task.json', 'summary.json']) writeFileSync(path.join(bad, f), readFileSync(path.join(run, f)));
    writeFileSync(path.join(bad, 'training.jsonl'), `${JSON.stringify(training[0])}\n{"text": "no labels"}\n`);
    const malformed = await runCli(['export', 'openai-finetune', bad, '--out', 'x'], { cwd: tmp.dir });
    expect(malformed.code).toBe(3);
    expect(malformed.stderr).toMatch(/training\.jsonl.*(:2|line 2)/);
    const kind = await runCli(['export', 'onnx', run, '--out', 'x'], { cwd: tmp.dir });
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/use one of: runtime, hf-dataset, openai-finetune, fasttext/);
  });

  it('export runtime of something that is not a model fails with the model-file exit code (6)', async () => {
    const r = await runCli(['export', 'runtime', path.join(run, 'task.json'), '--out', 'rt'], { cwd: tmp.dir });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/not an Apprentice model/);
  });
});

describe('multi-label runs', () => {
  it('export labels as lists (hf), JSON answers (openai) and several __label__ tokens (fasttext)', async () => {
    const dir = path.join(tmp.dir, 'multi');
    mkdirSync(dir, { recursive: true });
    const task = {
      name: 'topics',
      instruction: 'Tag each text with every topic it is about.',
      multiLabel: true,
      labels: [{ name: 'sport news' }, { name: 'weather' }, { name: 'food' }],
    };
    const summary = JSON.parse(readFileSync(path.join(run, 'summary.json'), 'utf8'));
    writeFileSync(path.join(dir, 'task.json'), JSON.stringify(task));
    writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ ...summary, task: 'topics' }));
    const rows = Array.from({ length: 30 }, (_, i) => ({
      id: `r${i}`,
      text: `text number ${i}\nwith a second line`,
      labels: [['sport news'], ['weather', 'food'], []][i % 3],
      source: 'pool',
      round: 0,
      teacher: 'openai:x',
    }));
    writeFileSync(path.join(dir, 'training.jsonl'), rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    for (const kind of ['hf-dataset', 'openai-finetune', 'fasttext']) {
      const r = await runCli(['export', kind, dir, '--out', `m-${kind}`], { cwd: tmp.dir });
      expect(r.code, r.stderr).toBe(0);
    }
    const hf = jsonl(path.join(tmp.dir, 'm-hf-dataset', 'train.jsonl'));
    expect(hf.every((r) => Array.isArray(r.labels) && !('label' in r))).toBe(true);
    const oa = jsonl(path.join(tmp.dir, 'm-openai-finetune', 'train.jsonl'));
    for (const r of oa) expect(JSON.parse(r.messages[2].content).labels).toBeInstanceOf(Array);
    const ft = readFileSync(path.join(tmp.dir, 'm-fasttext', 'train.txt'), 'utf8');
    expect(ft).toMatch(/^__label__weather __label__food text number \d+ with a second line$/m);
    expect(ft).toMatch(/^__label__sport_news text/m);
    // Rows with no label have nothing to teach fastText.
    expect(ft).not.toMatch(/^text number/m);
  });
});

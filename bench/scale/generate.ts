/**
 * Writes a scale-test task: banking77 training texts spliced into N distinct messages (the first
 * half of one text, the second half of another, and a reference number, labeled as the first), a
 * gold file from banking77's test split, and a task.yaml with the dataset teacher answering from
 * the spliced file (pool and teacher file are one file, as in the demo). Generated data goes to the
 * directory given; never commit it.
 *
 *   node --import tsx bench/scale/generate.ts <out dir> <N> [datasets dir]
 */
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Rng } from '../../src/util/random.js';

interface Row {
  text: string;
  label: string;
}

function readRows(path: string): Row[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);
}

/** The spliced rows, written line by line so that 10M rows need no memory. */
async function writePool(path: string, rows: Row[], n: number, seed: number): Promise<void> {
  const rng = new Rng(seed);
  const out = createWriteStream(path);
  for (let i = 0; i < n; i++) {
    const a = rows[rng.int(rows.length)];
    const b = rows[rng.int(rows.length)];
    const head = a.text.split(' ');
    const tail = b.text.split(' ');
    const text = `${head.slice(0, Math.ceil(head.length / 2)).join(' ')} ${tail.slice(Math.floor(tail.length / 2)).join(' ')} (ref ${i})`;
    if (!out.write(`${JSON.stringify({ text, label: a.label })}\n`))
      await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
}

async function main(): Promise<void> {
  const [outArg, nArg, dataArg] = process.argv.slice(2);
  if (!outArg || !nArg) throw new Error('usage: generate.ts <out dir> <N> [datasets dir]');
  const n = Number(nArg.replace(/_/g, ''));
  const datasets = resolve(dataArg ?? process.env.APPRENTICE_DATASETS ?? '/work/shared/datasets', 'banking77');
  const out = resolve(outArg);
  mkdirSync(out, { recursive: true });
  const train = readRows(join(datasets, 'train.jsonl'));
  const labels = JSON.parse(readFileSync(join(datasets, 'categories.json'), 'utf8')) as string[];
  await writePool(join(out, 'pool.jsonl'), train, n, 7);
  const gold = readRows(join(datasets, 'test.jsonl')).slice(0, 500);
  writeFileSync(join(out, 'gold.jsonl'), `${gold.map((r) => JSON.stringify(r)).join('\n')}\n`);
  const task = [
    'name: scale',
    'instruction: Classify the banking customer message by its intent.',
    'labels:',
    ...labels.map((l) => `  - name: ${l}`),
    'pool: ./pool.jsonl',
    'eval: ./gold.jsonl',
    'teacher:',
    '  model: dataset:./pool.jsonl',
    '  batchSize: 50',
    'student:',
    '  kind: hashed-linear',
    'budget:',
    '  answers: 2000',
    'seed: 42',
    '',
  ].join('\n');
  writeFileSync(join(out, 'task.yaml'), task);
}

await main();

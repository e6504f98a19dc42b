import { basename, dirname, resolve } from 'node:path';
import { stringify } from 'yaml';
import { nameFor, pathFrom } from '../../task/init.js';
import type { SpanExample } from '../../text/spans/types.js';
import { readSpanFile, type SpanFile } from './read-spans.js';

export interface ExtractTaskFromDatasetResult {
  yaml: string;
  shape: SpanFile['shape'];
  types: string[];
  rows: number;
}

const SEEDS = 3;

/**
 * `apprentice init --from-dataset` on a labeled extraction file (CoNLL/BIO columns, entity JSONL
 * or attribute JSONL): a `kind: extract` task with the file's types, a few of its rows as seeds,
 * and the file as both dataset teacher and pool (the loop reads only a pool's texts).
 */
export function extractTaskFromDataset(
  labeledPath: string,
  options: { taskFile?: string; name?: string } = {},
): ExtractTaskFromDatasetResult {
  const abs = resolve(labeledPath);
  const file = readSpanFile(abs);
  const taskDir = dirname(resolve(options.taskFile ?? 'task.yaml'));
  const path = pathFrom(taskDir, abs);
  const name = options.name ?? nameFor(abs);
  const scalar = (v: string) => stringify(v).trimEnd();
  // Seed texts go in as JSON strings: always one line, valid YAML, whatever quotes or "#" they hold.
  const quoted = (v: string) => JSON.stringify(v);
  const noun = file.shape === 'attributes-jsonl' ? 'attribute' : 'entity type';
  const budget = Math.min(2000, file.examples.length);
  const seeds = pickSeeds(file.examples, file.types);
  const seedYaml = seeds
    .map(
      (s) =>
        `  - text: ${quoted(s.text)}\n    entities:${s.spans.length === 0 ? ' []' : ''}\n${s.spans
          .map((sp) => `      - { type: ${quoted(sp.type)}, text: ${quoted(sp.text)} }`)
          .join('\n')}`,
    )
    .join('\n')
    .replace(/\n+/g, '\n');
  const yaml = `# Extraction task generated from ${basename(abs)} (${file.shape}: ${file.examples.length} texts, ${file.types.length} ${noun}s${file.unplaced > 0 ? `, ${file.unplaced} values not found in their text` : ''}).
# Every setting not written here takes its default (see README, "Extraction").

kind: extract
name: ${scalar(name)}

# TODO: say what the texts are and what to mark; the teacher reads this.
instruction: ${scalar(`Mark every mention of these ${noun}s in each text.`)}

# TODO: describe each ${noun} for the teacher, e.g.  - name: person
#                                                    description: a named human
types:
${file.types.map((t) => `  - ${scalar(t)}  # TODO: description`).join('\n')}

# A few annotated texts from the file: the teacher sees them, the student trains on them.
seeds:
${seedYaml}

# The same file as the pool: the loop reads only its texts, never its spans.
pool: ${scalar(path)}

# Gold file (CoNLL or JSONL, same shapes) to measure the student on, e.g. the test split.
# eval: test.txt

teacher:
  # Answers from the labeled file itself: offline and free.
  model: ${scalar(`dataset:${path}`)}
  # LLM-shaped mistakes to rehearse a real teacher (probability per span):
  # spanNoise: { missed: 0.1, wrongType: 0.05, boundary: 0.1 }
  # Or ask an LLM (the API key is read from the environment, e.g. OPENAI_API_KEY):
  # model: openai:gpt-4o-mini

student:
  kind: sequence-perceptron

budget:
  # Teacher answers (texts annotated) the run may use.
  answers: ${budget}

loop:
  # closed-loop: the texts the student is least sure of, spread out; random: the baseline.
  strategy: closed-loop
  initialLabels: ${Math.min(200, Math.max(10, Math.floor(budget / 5)))}
  answersPerRound: ${Math.min(200, Math.max(10, Math.floor(budget / 5)))}

seed: 42
`;
  return { yaml, shape: file.shape, types: file.types, rows: file.examples.length };
}

/** Short rows that between them show as many types as possible (a seed per type, up to SEEDS). */
function pickSeeds(examples: readonly SpanExample[], types: readonly string[]): SpanExample[] {
  const short = examples.filter((e) => e.text.length <= 200 && e.spans.length > 0);
  const out: SpanExample[] = [];
  const shown = new Set<string>();
  for (const type of types) {
    if (out.length >= SEEDS) break;
    if (shown.has(type)) continue;
    const e = short.find((x) => !out.includes(x) && x.spans.some((s) => s.type === type));
    if (!e) continue;
    out.push(e);
    for (const s of e.spans) shown.add(s.type);
  }
  return out;
}

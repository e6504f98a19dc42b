import { basename, dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import { readLabeled } from '../read/read-labeled.js';

/**
 * A commented starter task. Every setting is written out with its default, so the file doubles as
 * the reference for what can be set; the test checks it against the schema so the two cannot drift.
 */
export function starterTaskYaml(): string {
  return `# Apprentice task file: what to classify, which teacher to ask, and how much to spend.
# Relative paths are relative to this file. Run it with: apprentice distill task.yaml

# classify (this file): one label per text. extract: mark entity or attribute mentions in each text
# (types: instead of labels:, see README "Extraction"; \`init --from-dataset\` on a CoNLL file writes one).
# kind: classify

# Names the run directory: letters, digits, ".", "_" and "-".
name: support-routing

# The task in plain words. The teacher reads it with every request, so be specific.
instruction: >-
  Route each customer support message to the team that should handle it.

# false: every text gets exactly one label. true: any number of labels (including none).
multiLabel: false

# The classes: a plain name, or a name with a description the teacher reads.
labels:
  - name: billing
    description: charges, refunds, invoices and payment methods
  - name: shipping
    description: delivery times, tracking, lost or damaged parcels
  - name: technical
    description: the app or website not working, error messages, login problems
  - name: other
    description: anything that fits none of the above

# A few hand-labeled examples (optional). The teacher sees them; the student trains on them.
seeds:
  - text: I was charged twice for my order this month.
    label: billing
  - text: My parcel has said "in transit" for ten days.
    label: shipping

# Unlabeled inputs the loop picks from: JSONL ("text" field), CSV ("text" column) or one text per line.
pool: pool.jsonl

# Gold labeled file (JSONL {"text", "label"}) to measure the student on. Without it, a
# teacher-labeled validation split is held out instead.
# eval: gold.jsonl

teacher:
  # provider:model. "dataset:" answers from a labeled file: offline, free, for trying things out.
  model: dataset:./labeled.jsonl
  # An LLM teacher; the API key is read from the environment (OPENAI_API_KEY), never from this file.
  # model: openai:gpt-4o-mini
  # model: anthropic:claude-3-5-haiku-latest
  # A local or self-hosted OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio):
  # model: openai-compatible:llama3.1
  # baseUrl: http://localhost:11434/v1
  # Name of the environment variable holding the API key, when it is not the provider's usual one.
  # apiKeyEnv: MY_API_KEY
  # Inputs labeled per request.
  batchSize: 10
  # Requests in flight at once.
  concurrency: 4
  # online: one HTTP request each. batch: the provider's batch API (openai: and anthropic: only),
  # half the price, answered within 24 h.
  mode: online
  # Batch mode: first wait between polls (ms, doubling to a minute), and the quiet time after which
  # the requests asked so far go out as one batch (ms).
  batchPollMs: 10000
  batchWindowMs: 500
  # Ask for a one-sentence reason with every label (costs output tokens; shows up in the report).
  rationale: false
  # Sampling temperature; 0 makes answers repeatable.
  temperature: 0
  # Sampling temperature when writing examples; above 0 so repeated requests give new texts.
  generateTemperature: 0.9
  # Most output tokens one request may use.
  maxOutputTokens: 2048
  # Retries of a failed request (rate limits, server errors, timeouts).
  maxRetries: 4
  # Retries of an answer that broke the expected format, before it is kept as a rejected row.
  maxOutputRetries: 1
  # Per-request timeout, in milliseconds.
  timeoutMs: 60000
  # First wait before retrying a failed request, in milliseconds; doubles each retry. A server's retry-after wins.
  retryBaseMs: 1000
  # Client-side rate limits, retries included; unset means none. Tokens count the prompt plus maxOutputTokens.
  # requestsPerMinute: 500
  # tokensPerMinute: 200000
  # Dollars per million tokens, when the built-in price table does not know the model.
  # price: { inputPerMTok: 0.15, outputPerMTok: 0.6 }
  # Dataset teacher only: share of answers made wrong, mostly towards similar labels, like an LLM's mistakes.
  noise: 0
  # Extraction tasks (kind: extract) with a dataset teacher: LLM-shaped mistakes per span instead.
  # spanNoise: { missed: 0.1, wrongType: 0.05, boundary: 0.1 }

student:
  # The small model being trained.
  kind: hashed-linear
  # Settings of that kind (docs/student.md), e.g. for a multi-label task that cares most about
  # rare labels: { multiLabelDecision: label-f1 }
  params: {}

# Hard caps: the run stops before crossing any of them. One answer = one input labeled or one example written.
budget:
  answers: 2000
  # tokens: 2000000
  # dollars: 5
  # distill asks before starting a run whose planned cost (apprentice plan) is above this many dollars.
  # confirmAbove: 1

loop:
  # closed-loop: label uncertain, diverse pool inputs and generate examples for weak or confused
  # labels. margin and random: simpler baselines, for comparison.
  strategy: closed-loop
  # Pool inputs labeled before the first training round.
  initialLabels: 200
  # Examples written per label before the first training round.
  initialGeneratePerLabel: 2
  # Teacher answers spent per later round.
  answersPerRound: 200
  # Share of a round's answers spent on labeling pool inputs; the rest goes to generated examples.
  poolShare: 0.8
  # Most rounds after the first.
  maxRounds: 20
  # Stop when validation macro-F1 has not improved for this many rounds...
  patience: 3
  # ...by at least this much.
  minDelta: 0.002
  # Size of the teacher-labeled validation split (when there is no eval file).
  validationSize: 200
  # Pool inputs scored per round (a random subset, for speed on large pools).
  candidatePool: 5000

# How training data is made, checked and aimed (see docs/data.md).
data:
  # Generation strategies the loop may use; a bandit shares each round's answers among them (and
  # pool labeling) by the validation gain per answer their rows bring (per dollar when the
  # teacher's price is known). Also: attribute, tree,
  # multi-hop, retrieve.
  strategies: [weak-label, hard-negative]
  # Corpus the retrieve strategy draws texts from (JSONL, CSV or one text per line).
  # retrieveFrom: ./corpus.jsonl
  # Hops of the multi-hop strategy.
  hops: 3
  # A second teacher call checks each generated row's label: off, drop (disagreement) or relabel.
  verify: off
  # Label samples per pool input (1 = off); their agreement becomes the row's confidence.
  selfConsistency: 1
  # Rows whose samples agree less than this are dropped.
  minAgreement: 0.5
  # Similarity above which a new row is a near-duplicate of one already held, and dropped.
  dedupThreshold: 0.9
  # Never train on a near-copy of an evaluation row; such pool texts are set aside unlabeled.
  leakageGuard: true
  # Similarity at or above which a row counts as a copy of an evaluation row.
  leakageThreshold: 0.8
  # Check training labels with the student's cross-validated probabilities: off, relabel or review.
  labelNoise: off
  # A stronger teacher for those second opinions (provider:model); default: the task's teacher.
  # reviewTeacher: openai:gpt-4.1
  # The student's error per attribute value, in the report every round (report); steer also aims
  # the loop at the worst values (what skillSteer names; docs/data.md has what it saved); or off.
  skillProfile: report
  # What steer aims: pool (30% of pool picks go to the clusters with the most errors), generation
  # (attribute and weak-label strategies write for the worst values), weights (their rows weigh more).
  skillSteer: [pool]
  # Share answers by measured gain per answer, or per dollar with a price (false: fixed shares).
  bandit: true

# Random seed: the same seed, task and cache give the same run.
seed: 42
`;
}

export interface TaskFromDatasetOptions {
  /** Task name; default: from the file name. */
  name?: string;
  /** Where the task file will be written; paths in it are made relative to its directory. Default: ./task.yaml. */
  taskFile?: string;
}

export interface TaskFromDatasetResult {
  yaml: string;
  labels: string[];
  rows: number;
  multiLabel: boolean;
}

/**
 * A task for `apprentice init --from-dataset`: labels read from the file, the file as both dataset
 * teacher and pool. Using it as the pool is safe: the loop only reads `text` from a pool, so the
 * student never sees a label the teacher was not asked for.
 */
export function taskFromDataset(labeledPath: string, options: TaskFromDatasetOptions = {}): TaskFromDatasetResult {
  const abs = resolve(labeledPath);
  const data = readLabeled(abs);
  const labels = [...new Set(data.rows.flatMap((r) => r.labels))].sort();
  const multiLabel = data.rows.some((r) => r.labels.length !== 1);
  const taskDir = dirname(resolve(options.taskFile ?? 'task.yaml'));
  const path = pathFrom(taskDir, abs);
  const name = options.name ?? nameFor(abs);
  const scalar = (v: string) => stringify(v).trimEnd();
  const budget = Math.min(2000, data.rows.length);
  const notes = [`${data.rows.length} rows`, `${labels.length} labels`];
  if (data.duplicates > 0) notes.push(`${data.duplicates} duplicate texts skipped`);

  const yaml = `# Task generated from ${basename(abs)} (${notes.join(', ')}).
# Every setting not written here takes its default: \`apprentice init\` writes a file explaining them all.

name: ${scalar(name)}

# TODO: say what the texts are and what the labels mean; the teacher reads this.
instruction: ${scalar(multiLabel ? 'Give each text every label that applies to it (possibly none).' : 'Give each text the one label that fits it best.')}

multiLabel: ${multiLabel}

# TODO: describe each label for the teacher, e.g.  - name: billing
#                                                     description: charges, refunds, invoices
labels:
${labels.map((l) => `  - ${scalar(l)}  # TODO: description`).join('\n')}

# The same file as the pool: the loop reads only its texts, never its labels.
pool: ${scalar(path)}

# Gold labeled file to measure the student on (optional; otherwise a validation split is held out).
# eval: gold.jsonl

teacher:
  # Answers from the labeled file itself: offline and free.
  model: ${scalar(`dataset:${path}`)}
  # Make this share of answers wrong, mostly towards similar labels, to rehearse a real LLM's mistakes.
  noise: 0
  # Or ask an LLM (the API key is read from the environment, e.g. OPENAI_API_KEY):
  # model: openai:gpt-4o-mini

budget:
  # Teacher answers (inputs labeled + examples handed out) the run may use.
  answers: ${budget}

seed: 42
`;
  return { yaml, labels, rows: data.rows.length, multiLabel };
}

export function pathFrom(dir: string, file: string): string {
  const rel = relative(dir, file);
  if (isAbsolute(rel)) return file;
  const posix = rel.split(sep).join('/');
  return posix.startsWith('../') ? posix : `./${posix}`;
}

const GENERIC_NAMES = new Set([
  'train',
  'test',
  'dev',
  'valid',
  'validation',
  'data',
  'dataset',
  'labeled',
  'labelled',
  'gold',
  'all',
]);

/** A valid task name from the file name; generic names (train.jsonl) get their folder's name in front. */
export function nameFor(file: string): string {
  const stem = basename(file, extname(file));
  const base = GENERIC_NAMES.has(stem.toLowerCase()) ? `${basename(dirname(file))}-${stem}` : stem;
  const clean = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return clean || 'task';
}

import type { BenchResults, DatasetResult, ModelResult } from '../lib/types.js';
import { carriedOrigins } from '../lib/carried.js';
import { HOW_MEASURED } from './how-measured.js';
import {
  bytes,
  dash,
  int,
  mdTable,
  MODEL_NAMES,
  MODELS,
  PEERS,
  partCommit,
  pct,
  points,
  ratio,
  shortCommit,
  withSpread,
} from './format.js';
import { checkTargets } from './targets.js';
import { dataSections } from './data-tables.js';

const accCell = (m: ModelResult | null) =>
  m ? `${pct(m.accuracy)} / ${pct(m.macroF1)}${m.microF1 !== null ? ` / ${pct(m.microF1)}` : ''}` : dash;

function provenanceTable(ds: DatasetResult[]): string {
  return mdTable(
    ['dataset', 'commit', 'measured', 'command'],
    ds.map((d) => [
      d.dataset,
      `\`${shortCommit(d.commit)}\``,
      d.startedAt ?? dash,
      `\`${d.command ?? 'unknown'}\`${carriedOrigins(d)
        .map(
          (o) => `; ${o.parts.join(', ')} from commit \`${shortCommit(o.commit)}\`, \`${o.command}\` (${o.startedAt})`,
        )
        .join('')}`,
    ]),
  );
}

function accuracyTable(ds: DatasetResult[]): string {
  return mdTable(
    ['dataset', 'commit', 'train / validation / test', ...MODELS.map((m) => MODEL_NAMES[m])],
    ds.map((d) => [
      d.dataset + (d.multiLabel ? ' (multi-label)' : ''),
      `\`${shortCommit(partCommit(d, 'student'))}\``,
      `${int(d.n_train)} / ${d.validation ? `${int(d.validation.rows)} (${d.validation.source === 'published' ? 'published' : `carved from train, seed ${d.validation.seed}`})` : dash} / ${int(d.n_test)}`,
      ...MODELS.map((m) => accCell(d[m])),
    ]),
  );
}

function validationTable(ds: DatasetResult[]): string {
  const chosen = (m: ModelResult) => {
    const st = m.settings as Record<string, unknown>;
    if (st.params) return JSON.stringify(st.params);
    if (st.C !== undefined) return `C=${st.C}`;
    if (st.epoch !== undefined) return `epoch ${st.epoch}, lr ${st.lr}`;
    return dash;
  };
  return mdTable(
    ['dataset', ...MODELS.map((m) => MODEL_NAMES[m])],
    ds.map((d) => [
      d.dataset,
      ...MODELS.map((m) => {
        const r = d[m];
        return r ? `${pct(r.validationAccuracy)} (${chosen(r)})` : dash;
      }),
    ]),
  );
}

function fastTextSizeTable(ds: DatasetResult[]): string {
  const rows = ds.filter((d) => d.fasttext && d.student);
  if (rows.length === 0) return '_No fastText results._';
  return mdTable(
    [
      'dataset',
      'fastText .bin',
      'fastText .ftz (cutoff)',
      'student',
      'student ÷ .ftz',
      'student − .ftz accuracy (pts)',
      'fastText .ftz texts/s',
    ],
    rows.map((d) => {
      const f = d.fasttext!;
      const q = f.settings.quantize as { cutoff?: number } | undefined;
      return [
        d.dataset,
        `${bytes(f.modelBytes)}, ${pct(f.accuracy)}`,
        f.quantizedBytes !== undefined
          ? `${bytes(f.quantizedBytes)}, ${pct(f.quantizedAccuracy)} (${q?.cutoff ?? dash})`
          : dash,
        `${bytes(d.student!.modelBytes)}, ${pct(d.student!.accuracy)}`,
        ratio(d.ratios.fasttext?.quantizedModelBytes),
        points(d.ratios.fasttext?.quantizedAccuracyPoints),
        int(f.quantizedPredictPerSecond),
      ];
    }),
  );
}

function perModel(ds: DatasetResult[], cell: (m: ModelResult) => string): string {
  return mdTable(
    ['dataset', ...MODELS.map((m) => MODEL_NAMES[m])],
    ds.map((d) => [d.dataset, ...MODELS.map((m) => (d[m] ? cell(d[m]!) : dash))]),
  );
}

function ratioTable(ds: DatasetResult[]): string {
  const rows: string[][] = [];
  for (const d of ds) {
    for (const p of PEERS) {
      const r = d.ratios[p];
      if (!r) continue;
      rows.push([
        d.dataset,
        MODEL_NAMES[p],
        points(r.accuracyPoints),
        points(r.macroF1Points),
        ratio(r.trainSeconds),
        ratio(r.peakMB),
        `${ratio(r.modelBytes)}${r.quantizedModelBytes ? ` (.ftz: ${ratio(r.quantizedModelBytes)})` : ''}`,
        ratio(r.predictPerSecond),
      ]);
    }
  }
  return mdTable(
    ['dataset', 'peer', 'accuracy (pts)', 'macro-F1 (pts)', 'train time', 'peak memory', 'model size', 'throughput'],
    rows,
  );
}

function loopTable(ds: DatasetResult[]): string {
  const withLoop = ds.filter((d) => d.loop);
  if (withLoop.length === 0) return '_No loop results in this run._';
  const seeds = (v: (number | null)[]) => v.map((x) => (x === null ? 'never' : `${x}`)).join(', ');
  return mdTable(
    [
      'dataset',
      'commit',
      'held-out / validation rows',
      'full-data accuracy (held-out)',
      '95% target',
      'budget',
      'loop',
      'random',
      'margin',
      'loop / random',
    ],
    withLoop.map((d) => {
      const l = d.loop!;
      const a = l.answersTo95;
      const cell = (k: 'loop' | 'random' | 'margin') =>
        `${a[k] === null ? 'not reached' : int(a[k])} (${seeds(l.strategies[k].perSeed)})`;
      return [
        d.dataset,
        `\`${shortCommit(partCommit(d, 'loop'))}\``,
        l.scoredOn === 'held-out'
          ? `${int(l.heldOutRows)} / ${int(l.validationRows)}`
          : `${int(l.goldRows)} (its own validation rows: older run)`,
        pct(l.fullAccuracy),
        pct(l.target),
        int(l.budget),
        cell('loop'),
        cell('random'),
        cell('margin'),
        a.loop !== null && a.random !== null ? ratio(a.loop / a.random) : dash,
      ];
    }),
  );
}

function noisyTable(ds: DatasetResult[]): string {
  const withNoisy = ds.filter((d) => d.noisy);
  if (withNoisy.length === 0) return '_No noisy-teacher results in this run._';
  return mdTable(
    [
      'dataset',
      'commit',
      'noise (train rows made wrong)',
      'teacher accuracy (held-out)',
      'student accuracy (held-out)',
      'student − teacher (pts)',
      'answers used / budget',
    ],
    withNoisy.map((d) => {
      const n = d.noisy!;
      return [
        d.dataset,
        `\`${shortCommit(partCommit(d, 'noisy'))}\``,
        `${pct(n.noise)}% (${n.trainNoise !== undefined ? `${pct(n.trainNoise)}%` : 'uniform, older run'})`,
        pct(n.teacherAccuracy),
        pct(n.studentAccuracy),
        points(100 * (n.studentAccuracy - n.teacherAccuracy)),
        `${int(n.answers)} / ${int(n.budget)}`,
      ];
    }),
  );
}

function targetsSection(results: BenchResults): string {
  const checks = checkTargets(results);
  const met = checks.filter((c) => c.status === 'met').length;
  const missed = checks.filter((c) => c.status === 'missed').length;
  const icon = { met: '✅ met', missed: '❌ missed', inconclusive: '❔ inconclusive', 'no data': '– no data' } as const;
  const unclear = checks.filter((c) => c.status === 'inconclusive').length;
  return [
    `${met} met, ${missed} missed, ${unclear} inconclusive, ${checks.length - met - missed - unclear} without data. Computed from the numbers above, not written by hand.` +
      (results.mode === 'quick'
        ? ' In a quick run the loop and noisy-teacher budgets are far too small for those targets to say anything; only a full run decides them.'
        : ''),
    '',
    mdTable(
      ['target', 'dataset', 'measured', 'goal', 'status'],
      checks.map((c) => [c.target, c.dataset, c.value, c.goal, icon[c.status]]),
    ),
  ].join('\n');
}

/**
 * Which runs the figures come from. A dataset measured by several runs shows the newest run's
 * figures, except parts a later run did not measure, which stay from the run that measured them. Runs whose times overlap shared the machine, so their timings are
 * noisier than one run alone.
 */
function runsSection(r: BenchResults): string {
  const runs = [...(r.runs ?? [])].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  if (runs.length <= 1) return '';
  const overlaps = runs.some((a, i) =>
    runs.some(
      (b, j) =>
        i !== j &&
        Date.parse(a.startedAt) < Date.parse(b.finishedAt) &&
        Date.parse(b.startedAt) < Date.parse(a.finishedAt),
    ),
  );
  const lines = runs.map(
    (x) => `| ${x.startedAt} | ${x.finishedAt} | ${x.datasets.join(', ')} | ${x.machine.loadAverage.join(' / ')} |`,
  );
  return [
    `## Runs`,
    '',
    `These figures merge ${runs.length} runs (oldest first). For a dataset in several runs the newest run's figures are shown, except parts a later run did not measure (models with \`--skip-models\`, loop parts with \`--skip-loop\`, \`--only-noise\`, \`--no-skills\` or \`--only-skills\`), which stay from the run that measured them, with its commit (Provenance).${overlaps ? ' Some runs overlapped in time and shared the two cores: their timings are noisier than those of one run alone, but each model is still timed in its own child process, one at a time within a run.' : ''}`,
    '',
    '| started | finished | datasets | load at start |',
    '|---|---|---|---|',
    ...lines,
    '',
  ].join('\n');
}

export function renderMarkdown(r: BenchResults): string {
  const ds = r.datasets;
  const skipped = ds.flatMap((d) => [
    ...(d.note ? [`${d.dataset}: ${d.note}`] : []),
    ...(d.inProgress ? [`${d.dataset}: **run cut short or still going**: ${d.inProgress}`] : []),
    ...d.skipped.map((s) => `${d.dataset}: ${s}`),
  ]);
  return [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` from \`bench/results/latest.json\` (${(r.runs?.length ?? 1) > 1 ? `${r.runs!.length} runs merged, see Runs` : `run started ${r.startedAt}, took ${Math.round((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 60000)} min`}, mode **${r.mode}**). Do not edit by hand: rerun, or \`npm run bench -- --report-only\`. Charts: [bench/results/report.html](../bench/results/report.html).`,
    '',
    r.mode === 'quick'
      ? '> **Quick run**: train sets sampled to ≤ 2,000 rows and test sets to ≤ 500, small loop budget, one seed. Figures show the harness works; they are not the benchmark.\n'
      : '',
    runsSection(r),
    '## Provenance',
    '',
    'The commit and command every row was measured with (`-dirty`: with uncommitted changes to files other than the results). Rows from different commits are never merged into one figure.',
    '',
    provenanceTable(ds),
    '',
    '## Machine',
    '',
    `${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGB} GB RAM, ${r.machine.os}; load average at the start of ${(r.runs?.length ?? 1) > 1 ? "the newest run (each run's is in Runs)" : 'the run'} ${r.machine.loadAverage.join(' / ')} (1/5/15 min). ` +
      (r.machine.loadAverage[0] > r.machine.cores / 2
        ? `**${(r.runs?.length ?? 1) > 1 ? 'The newest run' : 'This run'} shared the machine with other work** (load ${r.machine.loadAverage[0]} on ${r.machine.cores} cores at the start): absolute times are inflated and noisy; every model was timed the same way under the same conditions, one process at a time, and the spreads below say how far each figure moved between runs. `
        : '') +
      `Node ${r.versions.node}, fastText ${r.versions.fasttext ?? dash} (Debian), scikit-learn ${r.versions.sklearn ?? dash} on ${r.versions.python ?? dash}, Apprentice ${r.versions.apprentice}.`,
    '',
    '## Student vs peers: accuracy',
    '',
    'Test accuracy / macro-F1 (/ micro-F1 for multi-label), in %. Same train and test rows for every model; every model trained on all of train with the settings it scored best with on validation. Multi-label: one decoding rule for every model (each label over its cut, else the top label, since no train row has an empty label set).',
    '',
    accuracyTable(ds),
    '',
    '## Tuning on validation',
    '',
    'Validation accuracy (%) of the settings each model was given, and those settings. Grids in "How it is measured"; test rows never take part.',
    '',
    validationTable(ds),
    '',
    '## Training',
    '',
    'Whole-process training wall time in seconds, pinned to one core: median (min–max, runs). Below it, peak memory of the training process (MiB, median).',
    '',
    perModel(ds, (m) =>
      m.timing
        ? `${withSpread(m.timing.trainSeconds)} s, ${int(m.peakMB)} MiB`
        : `${m.trainSeconds.toFixed(2)} s (one run, older harness)`,
    ),
    '',
    '## Inference and size',
    '',
    "One-core throughput over the test texts (texts/s, model load excluded): median (min–max, runs); per-text latency p50 / p99 in µs (one text per call, in-process, median of runs; fastText's CLI has none); model file size.",
    '',
    perModel(
      ds,
      (m) =>
        `${m.timing ? withSpread(m.timing.predictPerSecond, 0) : int(m.predictPerSecond)}/s, ${m.latencyP50Micros === null ? dash : `${int(m.latencyP50Micros)} / ${int(m.latencyP99Micros)} µs`}, ${bytes(m.modelBytes)}`,
    ),
    '',
    '## fastText quantized',
    '',
    "fastText's unquantized `model.bin` (2M hash buckets) and its `fasttext quantize -qnorm -retrain -dsub 4` file, the cutoff chosen on validation; accuracy on test. Size targets are judged against the `.ftz`.",
    '',
    fastTextSizeTable(ds),
    '',
    '## Ratios to each peer',
    '',
    'Student minus peer for accuracy (points); student ÷ peer for the rest (below 1 = student smaller/faster to train; throughput above 1 = student predicts faster).',
    '',
    ratioTable(ds),
    '',
    '## Loop efficiency',
    '',
    'Teacher answers until the student first reaches 95% of its full-training-set accuracy: median over seeds (per seed in brackets). ' +
      'The teacher is the dataset itself; the pool is the train texts. The test split is cut in two by distinct text (fixed seed): every loop validates on one half (its eval file) and every round of every strategy is scored on the other, which no run sees.',
    '',
    loopTable(ds),
    '',
    '## Noisy teacher',
    '',
    'A teacher that gets 15% of train texts wrong, more often the texts a reference model finds hard, always towards the label it finds most likely besides the gold one; its "generated" examples carry the same wrong labels. Closed loop, first seed, validating on the loop half; teacher and student scored on the held-out half.',
    '',
    noisyTable(ds),
    '',
    ...dataSections(ds),
    '## Targets',
    '',
    targetsSection(r),
    '',
    '## How it is measured',
    '',
    HOW_MEASURED,
    '',
    ...(skipped.length ? ['## Notes on this run', '', ...skipped.map((s) => `- ${s}`), ''] : []),
  ].join('\n');
}

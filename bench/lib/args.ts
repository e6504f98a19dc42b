import { DATASETS, type DatasetName } from './datasets.js';

export interface BenchArgs {
  datasets: DatasetName[];
  quick: boolean;
  skipLoop: boolean;
  /** Skill-targeted vs plain loop; a full run does it anyway, a quick one only with this. */
  skills: boolean;
  /** Leave skill targeting out of a full run (it is the longest part; results keep an earlier run's). */
  noSkills: boolean;
  /** Peers and skill targeting only: re-measure the skill target without the hour of the other loop parts (latest.json keeps theirs). */
  onlySkills: boolean;
  /** Of the loop parts, only the noisy teacher and label noise (loop efficiency and skill targeting stay from an earlier run). */
  onlyNoise: boolean;
  /** Loop parts only: the models are not measured (an earlier run's stay in latest.json, labelled with their commit). */
  skipModels: boolean;
  seeds: number;
  /** Rebuild docs and charts from bench/results/latest.json without running anything. */
  reportOnly: boolean;
  help: boolean;
}

export const USAGE = `npm run bench -- [--dataset a,b] [--quick] [--skip-loop] [--skip-models] [--skills] [--no-skills] [--only-skills] [--only-noise] [--seeds N] [--report-only]
  --dataset      comma-separated subset of: ${DATASETS.join(', ')}
  --quick        small samples (train ≤ 2000, test ≤ 500 rows), small loop budget, 1 seed: a few minutes;
                 results go to bench/results/quick-* and leave the full run's files alone
  --skip-loop    only student vs peers
  --skills       also in a quick run: loop with vs without skill targeting (banking77, emotion)
  --no-skills    leave skill targeting out of a full run (latest.json keeps an earlier run's)
  --only-skills  of the loop parts, only skill targeting (latest.json keeps the others from an earlier run)
  --only-noise   of the loop parts, only the noisy teacher and label noise (latest.json keeps the others)
  --skip-models  only the loop parts; the model comparison stays from an earlier run (labelled with its commit)
  --seeds N      loop seeds (default 3, quick 1)
  --report-only  regenerate docs/benchmarks.md and bench/results/report.html from latest.json
                 (with --quick: the quick reports from quick-latest.json)`;

export function parseArgs(argv: string[]): BenchArgs {
  const out: BenchArgs = {
    datasets: [...DATASETS],
    quick: false,
    skipLoop: false,
    skills: false,
    noSkills: false,
    onlySkills: false,
    onlyNoise: false,
    skipModels: false,
    seeds: 0,
    reportOnly: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--quick') out.quick = true;
    else if (a === '--skip-loop') out.skipLoop = true;
    else if (a === '--skills') out.skills = true;
    else if (a === '--no-skills') out.noSkills = true;
    else if (a === '--only-skills') out.onlySkills = true;
    else if (a === '--only-noise') out.onlyNoise = true;
    else if (a === '--skip-models') out.skipModels = true;
    else if (a === '--report-only') out.reportOnly = true;
    else if (a === '--dataset' || a === '--datasets') out.datasets = parseDatasets(value());
    else if (a === '--seeds') out.seeds = positiveInt(value());
    else if (a === '--help' || a === '-h') out.help = true;
    else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  if (out.skipModels && out.skipLoop) throw new Error(`--skip-models with --skip-loop leaves nothing to run\n${USAGE}`);
  if (out.onlySkills && (out.noSkills || out.skipLoop))
    throw new Error(`--only-skills cannot go with --no-skills or --skip-loop\n${USAGE}`);
  if (out.onlyNoise && (out.onlySkills || out.skipLoop))
    throw new Error(`--only-noise cannot go with --only-skills or --skip-loop\n${USAGE}`);
  if (out.seeds === 0) out.seeds = out.quick ? 1 : 3;
  return out;
}

function parseDatasets(v: string): DatasetName[] {
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !(DATASETS as readonly string[]).includes(n));
  if (bad.length || names.length === 0)
    throw new Error(`unknown dataset ${bad.join(', ') || '(none)'}; choose from ${DATASETS.join(', ')}`);
  return names as DatasetName[];
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--seeds expects a positive integer, got ${v}`);
  return n;
}

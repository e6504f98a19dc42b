/**
 * Student and CRFsuite side by side on every extraction set, one after the other (never in
 * parallel, so neither steals the other's CPU), each in its own process so memory and timings do
 * not mix. Prints a Markdown table and, with `--json`, the raw lines.
 *
 *   node --import tsx bench/extract/compare.ts [--sets wnut17,oa_mine,ae_110k,wdc_pave] [--eval test|val] [--json]
 *
 * Settings per set are the ones chosen on validation splits (see docs/extraction.md): STUDENT and
 * CRF below. WNUT-17 trains on train+dev (train alone with `--eval val`, scored on dev), the
 * product sets on train (less a seeded fifth with `--eval val`, scored on that fifth).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ALL_SETS, arg } from './sets.js';

/**
 * Student parameters per set (JSON for student.ts --params); {} = the kind's defaults. WNUT-17's
 * outsideBias 0.3 was chosen on dev (params.ts says why).
 */
export const STUDENT: Record<string, string> = {
  wnut17: '{"outsideBias":0.3}',
  oa_mine: '{}',
  ae_110k: '{}',
  wdc_pave: '{}',
};
/**
 * CRFsuite c1/c2 per set. WNUT-17's from a small grid on dev (train → dev F1: 0.1/0.1 0.240,
 * 0.05/0.01 0.256, 0.3/0.01 0.255); the product sets keep CRFsuite's bench defaults (not tuned yet).
 */
export const CRF: Record<string, { c1: string; c2: string }> = {
  wnut17: { c1: '0.05', c2: '0.01' },
  oa_mine: { c1: '0.1', c2: '0.1' },
  ae_110k: { c1: '0.1', c2: '0.1' },
  wdc_pave: { c1: '0.1', c2: '0.1' },
};

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const run = (script: string, args: string[]) =>
  JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', here(script), ...args], {
      encoding: 'utf8',
      env: process.env,
      maxBuffer: 1 << 24,
    }),
  ) as Record<string, number | string>;

const sets = arg('sets', ALL_SETS.join(',')).split(',');
const evalName = arg('eval', 'test');
const lines: Record<string, number | string>[] = [];
const rows: string[] = [
  '| set | learner | F1 (P / R) | train CPU s | tag tokens / CPU s, warm (first pass) | model bytes |',
  '| --- | --- | --- | --- | --- | --- |',
];
for (const set of sets) {
  const wnut = set === 'wnut17';
  // Validation for WNUT-17 is its official dev split, so then it trains on train alone.
  const tuning = evalName !== 'test';
  const split = ['--train', wnut && !tuning ? 'train+dev' : 'train', '--eval', wnut && tuning ? 'dev' : evalName];
  const s = run('./student.ts', [set, ...split, '--params', STUDENT[set] ?? '{}']);
  const c = run('./crfsuite.ts', [set, ...split, '--c1', CRF[set].c1, '--c2', CRF[set].c2]);
  for (const r of [s, c]) {
    lines.push(r);
    rows.push(
      `| ${set} | ${r.learner} | ${r.f1} (${r.precision} / ${r.recall}) | ${r.trainCpuSeconds} | ${r.tokensPerCpuSecond} (${r.firstPassTokensPerCpuSecond}) | ${r.modelBytes} |`,
    );
  }
}
if (process.argv.includes('--json')) for (const l of lines) process.stdout.write(`${JSON.stringify(l)}\n`);
process.stdout.write(`${rows.join('\n')}\n`);

/**
 * The sequence-perceptron student on one extraction set (see sets.ts): WNUT-17 entity F1, or a
 * product_ave set's attribute-value F1 scored as ExtractGPT scores it. Prints one JSON line.
 *
 *   node --import tsx bench/extract/student.ts wnut17 [--train train|train+dev] [--eval dev|test] [--params '{"window":2}'] [--seed 1]
 *   node --import tsx bench/extract/student.ts oa_mine|ae_110k|wdc_pave [--eval val|test] [--params ...]
 *
 * `--fold 0|1` (WNUT-17): dev shuffled with seed 7 and halved; trains on train + one half and
 * scores the other ("dev halves" in docs/extraction.md, closer to train+dev → test than dev alone).
 *
 * (`product --set oa_mine` is the older spelling of `oa_mine`.) Tune on `--eval dev` (WNUT) or
 * `--eval val` (product sets) only; test is for the figure reported.
 */
import { SequencePerceptronParamsSchema, sequencePerceptronKind } from '../../src/student/sequence/index.js';
import { Rng } from '../../src/util/random.js';
import { arg, cpuSeconds, type LoadedSet, loadSet, score, timeTagging } from './sets.js';

function devHalves(set: LoadedSet, fold: number): LoadedSet {
  if (set.name !== 'wnut17' || set.evalName !== 'dev' || (fold !== 0 && fold !== 1))
    throw new Error('--fold 0|1 needs wnut17 with --train train --eval dev');
  const order = new Rng(7).shuffle(set.eval.map((_, i) => i));
  const first = new Set(order.slice(0, order.length >> 1));
  const halves = [set.eval.filter((_, i) => first.has(i)), set.eval.filter((_, i) => !first.has(i))];
  return {
    ...set,
    trainName: `train+dev half ${fold}`,
    evalName: `dev half ${1 - fold}`,
    train: [...set.train, ...halves[fold]],
    eval: halves[1 - fold],
  };
}

const name = process.argv[2] === 'product' ? arg('set', 'oa_mine') : (process.argv[2] ?? 'wnut17');
const isWnut = name === 'wnut17';
const loaded = loadSet(name, arg('train', isWnut ? 'train' : 'train'), arg('eval', isWnut ? 'dev' : 'test'));
const fold = arg('fold', '');
const set = fold === '' ? loaded : devHalves(loaded, Number(fold));
const paramsArg = arg('params', '{}');
const params = SequencePerceptronParamsSchema.parse(JSON.parse(paramsArg));
const seed = Number(arg('seed', '1'));

const t0 = performance.now();
const c0 = process.cpuUsage();
const student = sequencePerceptronKind.train(set.train, { types: set.types, seed }, params);
const trainMs = performance.now() - t0;
const trainCpu = cpuSeconds(c0);
// `predict` with its span confidences (forward-backward), as the loop and `apprentice predict` use it.
const { out: preds, ...tagging } = timeTagging(set.eval, (e) => student.predict(e.text, e.tokens));
process.stdout.write(
  `${JSON.stringify({
    learner: 'student',
    dataset: set.name,
    train: set.trainName,
    eval: set.evalName,
    seed,
    params: JSON.parse(paramsArg),
    ...score(
      set,
      preds.map((p) => p.spans),
    ),
    trainSeconds: +(trainMs / 1000).toFixed(2),
    trainCpuSeconds: +trainCpu.toFixed(2),
    ...tagging,
    modelBytes: student.toBytes().length,
    ...(set.unplacedTrainValues !== undefined ? { unplacedTrainValues: set.unplacedTrainValues } : {}),
    info: (student as unknown as { state: { info: unknown } }).state.info,
  })}\n`,
);

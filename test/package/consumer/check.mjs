// Runs inside a fresh project where the packed tarball was installed (no dev dependencies), in
// plain Node: no tsx, no loaders. Usage: node check.mjs <model dir> <texts.txt> <preds.jsonl>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStudent, trainStudent, MemoryStore, ConfigError } from 'apprentice';
import { loadStudent as loadRuntime } from 'apprentice/runtime';

const [modelDir, textsFile, predsFile] = process.argv.slice(2);
const fail = (msg) => {
  console.error(`check-package: ${msg}`);
  process.exit(1);
};

for (const [name, value] of Object.entries({ loadStudent, trainStudent, MemoryStore, ConfigError }))
  if (typeof value !== 'function') fail(`import { ${name} } from 'apprentice' is not a function`);

const texts = readFileSync(textsFile, 'utf8')
  .split('\n')
  .filter((t) => t.trim());
const preds = readFileSync(predsFile, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const bin = join(modelDir, 'student.bin');
const student = loadStudent(bin);
const runtime = await loadRuntime(new Uint8Array(readFileSync(bin)));
if (preds.length !== texts.length) fail(`apprentice predict wrote ${preds.length} rows for ${texts.length} texts`);
texts.forEach((text, i) => {
  const lib = student.predict(text);
  if (JSON.stringify(lib.labels) !== JSON.stringify(preds[i].labels))
    fail(`library predicts ${lib.labels} for ${JSON.stringify(text)}, apprentice predict said ${preds[i].labels}`);
  const rt = runtime.predict(text);
  if (JSON.stringify(rt.labels) !== JSON.stringify(lib.labels))
    fail(`runtime labels differ for ${JSON.stringify(text)}`);
  const byLabel = new Map(rt.scores.map((s) => [s.label, s.score]));
  student.labels.forEach((l, k) => {
    if (byLabel.get(l) !== lib.probs[k]) fail(`runtime probability of ${l} differs for ${JSON.stringify(text)}`);
  });
});
console.log(`check-package: library, runtime and \`apprentice predict\` agree on ${texts.length} texts`);

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { textId } from '../../../util/hash.js';
import { noisyTeacher, syntheticFile } from './filters.fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'apprentice-dataset-samples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the dataset extraction teacher sampled above temperature 0 (what self-consistency asks)', () => {
  it('draws fresh noise per sample, the same samples on a re-run, and the usual answer at the default', async () => {
    const { file, gold } = syntheticFile(dir, 80, 2);
    const inputs = [...gold.keys()].map((text) => ({ id: textId(text), text }));
    const noise = { missed: 0.2, wrongType: 0.2, boundary: 0.2 };
    const draw = async () => {
      const { teacher, gate } = noisyTeacher(file, noise);
      const plain = await teacher.extract(inputs);
      const again = await teacher.extract(inputs);
      const s1 = await teacher.extract(inputs, { temperature: 0.7 });
      const s2 = await teacher.extract(inputs, { temperature: 0.7 });
      return { plain, again, s1, s2, answers: gate.used().answers };
    };
    const a = await draw();
    expect(a.again).toEqual(a.plain);
    expect(a.s1).not.toEqual(a.plain);
    expect(a.s2).not.toEqual(a.s1);
    expect(a.answers).toBe(4 * inputs.length);
    const b = await draw();
    expect(b.s1).toEqual(a.s1);
    expect(b.s2).toEqual(a.s2);
  });
});

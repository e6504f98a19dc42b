import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { defaultModelName, nameModels } from './model-name.js';

describe('model names', () => {
  it('uses the run name for a run or its model/ dir, the directory otherwise, the stem of another .bin', () => {
    expect(defaultModelName('/x/runs/support/model/student.bin')).toBe('support');
    expect(defaultModelName('/x/models/triage/student.bin')).toBe('triage');
    expect(defaultModelName('/x/exports/support-v2.bin')).toBe('support-v2');
    expect(defaultModelName('/x/runs/my run (1)/model/student.bin')).toBe('my-run-1-');
  });

  it('applies --name in order and refuses duplicates, bad names and extra names', () => {
    const files = ['/r/a/model/student.bin', '/r/b/model/student.bin'];
    expect(nameModels(files, ['first']).map((m) => m.name)).toEqual(['first', 'b']);
    expect(() => nameModels(['/r/a/model/student.bin', '/s/a/model/student.bin'])).toThrow(/two models are named "a"/);
    expect(() => nameModels(files, ['has/slash'])).toThrow(ConfigError);
    expect(() => nameModels(files, ['a', 'b', 'c'])).toThrow(/3 --name values for 2 models/);
  });
});

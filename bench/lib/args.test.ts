import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.js';

describe('parseArgs', () => {
  it('--only-noise runs the noisy teacher and label noise of the loop parts, with the models skipped if asked', () => {
    const a = parseArgs(['--dataset', 'banking77', '--only-noise', '--skip-models', '--seeds', '1']);
    expect(a).toMatchObject({ datasets: ['banking77'], onlyNoise: true, skipModels: true, seeds: 1 });
    expect(parseArgs([]).onlyNoise).toBe(false);
  });

  it('refuses --only-noise with flags that leave it nothing to run', () => {
    expect(() => parseArgs(['--only-noise', '--skip-loop'])).toThrow(/--only-noise cannot go with/);
    expect(() => parseArgs(['--only-noise', '--only-skills'])).toThrow(/--only-noise cannot go with/);
  });

  it('defaults to every dataset and 3 seeds, 1 seed when quick; rejects unknown sets and flags', () => {
    expect(parseArgs([]).seeds).toBe(3);
    expect(parseArgs(['--quick']).seeds).toBe(1);
    expect(() => parseArgs(['--dataset', 'nope'])).toThrow(/unknown dataset nope/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option --fast/);
  });
});

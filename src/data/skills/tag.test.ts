import { describe, expect, it } from 'vitest';
import type { AskRequest, AskResult } from '../../teacher/types.js';
import { TAG_BATCH, tagAttributes, tagPrompt } from './tag.js';

const DIMENSIONS = [{ name: 'tone', values: ['calm', 'angry'] }];

describe('tagAttributes', () => {
  it('asks per batch, keeps values from the lists (any case, given spelling), and leaves a failed batch untagged', async () => {
    const texts = Array.from({ length: TAG_BATCH + 2 }, (_, i) => `text ${i} "quoted"`);
    const asked: AskRequest[] = [];
    const ask = async (request: AskRequest): Promise<AskResult> => {
      asked.push(request);
      if (asked.length === 2) return { ok: false, raw: 'not json', reason: 'unparseable' };
      return {
        ok: true,
        value: {
          items: [
            { id: '1', values: [{ dimension: 'TONE', value: ' Angry ' }] },
            { id: '2', values: [{ dimension: 'tone', value: 'sarcastic' }] },
            { id: '99', values: [{ dimension: 'tone', value: 'calm' }] },
          ],
        },
      };
    };
    const tags = await tagAttributes(ask, DIMENSIONS, texts);
    expect(asked.map((r) => r.purpose)).toEqual(['tag-attributes', 'tag-attributes']);
    expect(tags[0]).toEqual({ 'attr.tone': 'angry' });
    expect(tags[1]).toEqual({});
    expect(tags[TAG_BATCH]).toEqual({});
    expect(tags).toHaveLength(texts.length);
    // Texts go in as JSON strings, so quotes and newlines in them cannot break the question.
    expect(asked[0].prompt).toContain('1. "text 0 \\"quoted\\""');
    expect(tagPrompt(DIMENSIONS, ['a'])).toContain('- "tone": "calm", "angry"');
  });

  it('asks nothing without dimensions', async () => {
    const tags = await tagAttributes(
      async () => {
        throw new Error('asked');
      },
      [],
      ['a', 'b'],
    );
    expect(tags).toEqual([{}, {}]);
  });
});

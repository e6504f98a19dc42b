import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { labelAnswerSchema, parseGenerateAnswer, parseLabelAnswer } from './output-schema.js';

const task = { instruction: 'Route messages.', labels: [{ name: 'billing' }, { name: 'bug' }], multiLabel: false };
const ids = ['id-a', 'id-b'];

describe('labelAnswerSchema', () => {
  it('restricts labels to the set and ids to the batch', () => {
    const json = z.toJSONSchema(labelAnswerSchema(task, 2, false)) as any;
    const item = json.properties.items.items;
    expect(item.properties.label.enum).toEqual(['billing', 'bug']);
    expect(item.properties.id.enum).toEqual(['1', '2']);
    expect(item.required).toEqual(['id', 'label']);
    expect(item.additionalProperties).toBe(false);
  });

  it('asks for label lists in multi-label tasks and a rationale when wanted', () => {
    const json = z.toJSONSchema(labelAnswerSchema({ ...task, multiLabel: true }, 1, true)) as any;
    const item = json.properties.items.items;
    expect(item.properties.labels).toEqual({ type: 'array', items: { type: 'string', enum: ['billing', 'bug'] } });
    expect(item.required).toEqual(['id', 'labels', 'rationale']);
  });
});

describe('parseLabelAnswer', () => {
  it('maps batch-local ids back to input ids, accepting numeric ids and a Markdown fence', () => {
    const text = '```json\n{"items":[{"id":2,"label":"bug"},{"id":"1","label":"billing"}]}\n```';
    expect(parseLabelAnswer(text, ids, task)).toEqual([
      { id: 'id-a', ok: true, labels: ['billing'] },
      { id: 'id-b', ok: true, labels: ['bug'] },
    ]);
  });

  it('ignores ids outside the batch and items that are not objects', () => {
    const text = '{"items":[{"id":"1","label":"bug"},{"id":"3","label":"bug"},"2: billing",{"id":"0","label":"bug"}]}';
    const rows = parseLabelAnswer(text, ids, task);
    expect(rows[0]).toEqual({ id: 'id-a', ok: true, labels: ['bug'] });
    expect(rows[1]).toMatchObject({ ok: false, raw: text, reason: 'no answer for text 2' });
  });

  it('rejects a wrongly typed label without guessing, keeping the item as raw', () => {
    const rows = parseLabelAnswer('{"items":[{"id":"1","label":["bug"]},{"id":"2","label":"Bug"}]}', ids, task);
    expect(rows[0]).toMatchObject({
      ok: false,
      raw: '{"id":"1","label":["bug"]}',
      reason: 'expected "label" to be a label name',
    });
    expect(rows[1]).toMatchObject({ ok: false, raw: '{"id":"2","label":"Bug"}' });
  });

  it.each([
    ['', 'the answer was empty'],
    ['{"items": [', 'the answer was not valid JSON'],
    ['[1,2]', 'the answer was not a JSON object with an "items" array'],
    ['{"labels": []}', 'the answer had no "items" array'],
  ])('rejects every row of a whole-answer failure: %j', (text, reason) => {
    expect(parseLabelAnswer(text, ids, task)).toEqual(ids.map((id) => ({ id, ok: false, raw: text, reason })));
  });

  it('keeps a non-empty rationale and drops duplicate labels in a multi-label row', () => {
    const rows = parseLabelAnswer('{"items":[{"id":"1","labels":["bug","bug"],"rationale":" crash "}]}', ['x'], {
      ...task,
      multiLabel: true,
    });
    expect(rows).toEqual([{ id: 'x', ok: true, labels: ['bug'], rationale: 'crash' }]);
  });
});

describe('parseGenerateAnswer', () => {
  it('rejects non-strings with their JSON, and trims kept texts', () => {
    const r = parseGenerateAnswer('{"examples":["  one  ", 7, null, {"t":1}]}', 'bug', 5);
    expect(r.texts).toEqual(['one']);
    expect(r.rejected.map((x) => x.raw)).toEqual(['7', 'null', '{"t":1}']);
  });

  it('rejects a whole malformed answer once, with the raw text', () => {
    expect(parseGenerateAnswer('examples: a, b', 'bug', 2)).toEqual({
      label: 'bug',
      texts: [],
      rejected: [{ raw: 'examples: a, b', reason: 'the answer was not valid JSON' }],
    });
  });
});

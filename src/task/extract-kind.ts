import { labelDefs } from './classify-kind.js';
import { closest } from './did-you-mean.js';
import type { KindFields, TaskKindSpec } from './kinds.js';
import { ExtractTaskFileSchema, type SpanSeed } from './schema.js';

/** Start offsets of `needle` in `hay`, compared as given (the caller lowercases for a case-blind pass). */
function occurrences(hay: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) out.push(i);
  return out;
}

/**
 * Places a seed's mentions: the k-th listing of a string goes to its k-th free occurrence, exact
 * first, then ignoring case (lowercasing that keeps lengths, so offsets stay valid). Seeds are the
 * user's own gold data, so nothing fuzzier: a mention that is not in the text is an error.
 */
function placeSeed(
  text: string,
  entities: { type: string; text: string }[],
  where: number,
  fail: (path: PropertyKey[], message: string, hint?: string) => never,
): SpanSeed['spans'] {
  const taken: [number, number][] = [];
  const free = (s: number, e: number) => taken.every(([a, b]) => e <= a || b <= s);
  const lower = text.toLowerCase();
  const caseSafe = lower.length === text.length;
  const spans = entities.map((m, k) => {
    const surface = m.text;
    const exact = occurrences(text, surface);
    const folded = caseSafe ? occurrences(lower, surface.toLowerCase()) : [];
    const start = [...exact, ...folded].find((s) => free(s, s + surface.length));
    if (start === undefined) {
      const seen = exact.length + folded.length > 0;
      fail(
        ['seeds', where, 'entities', k, 'text'],
        seen
          ? `"${surface}" is listed more times than it occurs in the seed's text (or overlaps another mention)`
          : `"${surface}" is not in the seed's text`,
        'copy each mention exactly as it is written in `text`, once per occurrence, without overlaps',
      );
    }
    taken.push([start!, start! + surface.length]);
    return {
      start: start!,
      end: start! + surface.length,
      type: m.type,
      text: text.slice(start!, start! + surface.length),
    };
  });
  return spans.sort((a, b) => a.start - b.start);
}

/** `kind: extract`: mark every mention of the task's types (entity types or attribute names) in each text. */
export const extractTaskKind: TaskKindSpec = {
  name: 'extract',
  description: 'mark mentions of the task types (entities or attribute values) in each text',
  schema: ExtractTaskFileSchema,
  fields(t, fail): KindFields {
    const { defs: types, index } = labelDefs(t.types, 'types', 'type', fail);
    const names = types.map((l) => l.name);
    const spanSeeds = (t.seeds as { text: string; entities: { type: string; text: string }[] }[]).map((s, i) => {
      s.entities.forEach((e, k) => {
        if (!index.has(e.type)) {
          const guess = closest(e.type, names);
          fail(
            ['seeds', i, 'entities', k, 'type'],
            `\`${e.type}\` is not one of the task's types`,
            `${guess ? `did you mean \`${guess}\`? ` : ''}known types: ${names.join(', ')}`,
          );
        }
      });
      return { text: s.text, spans: placeSeed(s.text, s.entities, i, fail) };
    });
    return { kind: 'extract', multiLabel: false, labels: types, seeds: [], spanSeeds };
  },
  toFileFields: (task) => ({
    kind: 'extract',
    types: task.labels.map((l) =>
      l.description === undefined ? l.name : { name: l.name, description: l.description },
    ),
    seeds: (task.spanSeeds ?? []).map((s) => ({
      text: s.text,
      entities: s.spans.map((sp) => ({ type: sp.type, text: sp.text })),
    })),
  }),
};

import type { Span } from '../../text/spans/types.js';
import { Rng } from '../../util/random.js';
import type { SpanTrainingRow } from './types.js';

/**
 * A small generated extraction task for tests: sentences from templates with person, city and
 * product slots filled from word lists (two of them multi-word), among filler. Held-out rows use
 * the same lists in new combinations and templates, plus unseen names in `novel` mode, so a
 * student must use context and shape, not only memorize strings. Seeded.
 */
export const SPAN_TYPES = ['person', 'city', 'product'] as const;

const FILL: Record<(typeof SPAN_TYPES)[number], string[]> = {
  person: ['Ada Lovelace', 'Grace', 'Alan Turing', 'Linus', 'Margaret', 'Dennis Ritchie', 'Barbara', 'Ken'],
  city: ['Paris', 'New York', 'Tokyo', 'Berlin', 'São Paulo', 'Oslo', 'Lagos', 'Lima'],
  product: ['iPhone 12', 'Galaxy S9', 'Kindle', 'ThinkPad X1', 'Pixel 7', 'Walkman', 'PlayStation'],
};
const NOVEL: Record<(typeof SPAN_TYPES)[number], string[]> = {
  person: ['Hedy Lamarr', 'Edsger', 'Frances Allen', 'Niklaus'],
  city: ['Kyoto', 'Nairobi', 'Quito', 'Dublin'],
  product: ['Surface Pro', 'Zune', 'Nokia 3310'],
};

const TEMPLATES = [
  '{person} flew to {city} last week',
  'yesterday {person} bought a {product} in {city}',
  'my {product} broke so I called {person}',
  'the weather in {city} is awful today',
  '{person} says the {product} is overpriced',
  'we met {person} and {person} near the station in {city}',
  'is the {product} any good ?',
  'nothing happened at all today , just rain',
  'send the {product} to {person} before Friday',
  'back from {city} , tired but happy',
];

export function spanRows(n: number, seed: number, novel = false): SpanTrainingRow[] {
  const rng = new Rng(seed);
  const rows: SpanTrainingRow[] = [];
  for (let r = 0; r < n; r++) {
    const template = TEMPLATES[rng.int(TEMPLATES.length)];
    let text = '';
    const spans: Span[] = [];
    for (const part of template.split(/(\{\w+\})/)) {
      const slot = /^\{(\w+)\}$/.exec(part)?.[1] as (typeof SPAN_TYPES)[number] | undefined;
      if (!slot) {
        text += part;
        continue;
      }
      const pool = novel && rng.next() < 0.5 ? NOVEL[slot] : FILL[slot];
      const value = pool[rng.int(pool.length)];
      spans.push({ start: text.length, end: text.length + value.length, type: slot, text: value });
      text += value;
    }
    rows.push({ text: rng.next() < 0.2 ? text[0].toUpperCase() + text.slice(1) : text, spans });
  }
  return rows;
}

import { Rng } from '../util/random.js';
import type { TrainingRow } from './types.js';

/**
 * A small generated classification task for tests: sentences about four topics, built from word
 * lists and shared filler, so a student has to find the topic words among noise. Seeded, so every
 * run sees the same rows.
 */
export const TOPICS: Record<string, string[]> = {
  sports: [
    'goal',
    'match',
    'team',
    'coach',
    'striker',
    'referee',
    'league',
    'score',
    'stadium',
    'tournament',
    'defender',
    'penalty',
  ],
  cooking: [
    'recipe',
    'oven',
    'garlic',
    'simmer',
    'flour',
    'butter',
    'sauce',
    'bake',
    'onion',
    'skillet',
    'dough',
    'spices',
  ],
  finance: [
    'stock',
    'market',
    'investor',
    'dividend',
    'bond',
    'portfolio',
    'interest',
    'inflation',
    'shares',
    'earnings',
    'fund',
    'trading',
  ],
  weather: [
    'rain',
    'storm',
    'forecast',
    'sunny',
    'cloudy',
    'wind',
    'temperature',
    'snow',
    'humid',
    'thunder',
    'drizzle',
    'frost',
  ],
};

const FILLER = [
  'the',
  'a',
  'today',
  'really',
  'was',
  'is',
  'we',
  'they',
  'about',
  'and',
  'then',
  'very',
  'news',
  'people',
  'said',
  'after',
  'some',
  'new',
  'week',
  'our',
];
const OPENERS = [
  'I think',
  'Yesterday',
  'Did you hear',
  'Honestly,',
  'Breaking:',
  'My friend says',
  'Apparently',
  'So',
];

export const TOPIC_LABELS = Object.keys(TOPICS);

function sentence(topic: string, rng: Rng): string {
  const words: string[] = [OPENERS[rng.int(OPENERS.length)]];
  const n = 6 + rng.int(6);
  const topical = 2 + rng.int(2);
  const slots = new Set(rng.sample([...Array(n).keys()], topical));
  for (let i = 0; i < n; i++) {
    const list = slots.has(i) ? TOPICS[topic] : FILLER;
    words.push(list[rng.int(list.length)]);
  }
  return `${words.join(' ')}${rng.next() < 0.3 ? '?' : '.'}`;
}

/** `perTopic` single-label rows per topic, shuffled. */
export function topicRows(perTopic: number, seed: number): TrainingRow[] {
  const rng = new Rng(seed);
  const rows: TrainingRow[] = [];
  for (const topic of TOPIC_LABELS)
    for (let i = 0; i < perTopic; i++) rows.push({ text: sentence(topic, rng), labels: [topic] });
  return rng.shuffle(rows);
}

/** Multi-label rows: one or two topics, one sentence each; a few rows mention no topic at all. */
export function multiTopicRows(n: number, seed: number): TrainingRow[] {
  const rng = new Rng(seed);
  const rows: TrainingRow[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.05) {
      rows.push({
        text: `${FILLER[rng.int(FILLER.length)]} ${FILLER[rng.int(FILLER.length)]} ${FILLER[rng.int(FILLER.length)]}`,
        labels: [],
      });
      continue;
    }
    const topics = rng.sample(TOPIC_LABELS, r < 0.5 ? 1 : 2).sort();
    rows.push({ text: topics.map((t) => sentence(t, rng)).join(' '), labels: topics });
  }
  return rows;
}

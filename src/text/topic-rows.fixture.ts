import { Rng } from '../util/random.js';

/**
 * Labeled texts with known kinds: every label has three topics whose texts share the topic's
 * words, so clustering a label's texts must find the topics.
 */
export const TOPICS: Record<string, Record<string, string[]>> = {
  billing: {
    refund: ['refund', 'money', 'back', 'returned', 'reimburse'],
    invoice: ['invoice', 'receipt', 'pdf', 'vat', 'statement'],
    card: ['card', 'declined', 'expired', 'visa', 'payment'],
  },
  bug: {
    crash: ['crash', 'freezes', 'closes', 'startup', 'frozen'],
    login: ['login', 'password', 'reset', 'locked', 'signin'],
    sync: ['sync', 'calendar', 'duplicates', 'missing', 'contacts'],
  },
};

export function topicRows(perTopic: number, seed = 3): { text: string; label: string; topic: string }[] {
  const rng = new Rng(seed);
  const rows: { text: string; label: string; topic: string }[] = [];
  for (const [label, topics] of Object.entries(TOPICS)) {
    for (const [topic, words] of Object.entries(topics)) {
      for (let i = 0; i < perTopic; i++) {
        const picked = Array.from({ length: 5 }, () => words[rng.int(words.length)]);
        rows.push({ text: `${topic} issue ${label} ${i}: ${picked.join(' ')} please help`, label, topic });
      }
    }
  }
  return rows;
}

/**
 * A cheap sparse bag-of-words vector (hashed word unigrams and bigrams, L2-normalized), used only to
 * tell near-duplicate inputs apart when choosing what to send to the teacher.
 */
export function textVector(text: string): Map<number, number> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const v = new Map<number, number>();
  const bump = (s: string) => {
    const h = fnv1a(s);
    v.set(h, (v.get(h) ?? 0) + 1);
  };
  for (let i = 0; i < words.length; i++) {
    bump(words[i]);
    if (i + 1 < words.length) bump(`${words[i]} ${words[i + 1]}`);
  }
  let norm = 0;
  for (const x of v.values()) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (const [k, x] of v) v.set(k, x / norm);
  return v;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

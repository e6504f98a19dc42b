/** Letters, digits and apostrophes: a word for the similarity features (not the student's tokenizer). */
const WORD = /[\p{L}\p{N}']+/gu;

/** The lowercased words of a text, in order, repeats kept. */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

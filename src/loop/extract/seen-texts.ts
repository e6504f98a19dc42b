import { NearDupIndex } from '../../data/near-dup/near-dup-index.js';
import { textId } from '../../util/hash.js';

/**
 * Every text the loop has seen (seeds, validation, training, and generated rows kept), for the
 * dedup of generated rows: an exact repeat (same normalized text) or a near-duplicate at
 * `data.dedupThreshold` (character-shingle MinHash, the classification dedup's measure) of any of
 * them is not admitted. Pool texts need only the exact check, which `unasked` already makes.
 */
export class SeenTexts {
  private readonly ids = new Set<string>();
  private readonly index: NearDupIndex;

  constructor(threshold: number) {
    this.index = new NearDupIndex({ threshold });
  }

  add(text: string): void {
    const id = textId(text);
    if (this.ids.has(id)) return;
    this.ids.add(id);
    this.index.add(id, text);
  }

  /** Why `text` repeats something seen, or undefined when it does not. */
  repeats(text: string): string | undefined {
    if (this.ids.has(textId(text))) return 'duplicate of a text already seen';
    const near = this.index.nearest(text);
    return near ? `near-duplicate (${near.similarity.toFixed(2)}) of a text already seen` : undefined;
  }
}

/**
 * The in-memory shape of an extraction example, whatever file it came from: a text and the spans
 * in it, as UTF-16 code-unit offsets (what `String.prototype.slice` takes), `end` exclusive.
 */
export interface Span {
  start: number;
  end: number;
  /** Entity type or attribute name. */
  type: string;
  /** `text.slice(start, end)`, kept so a span reads on its own in reports and logs. */
  text: string;
}

/** A token's character range in the text. */
export interface TokenOffsets {
  start: number;
  end: number;
}

export interface SpanExample {
  text: string;
  spans: Span[];
  /**
   * The source's own tokenization, when it had one (CoNLL): a student trained or scored on these
   * tokens sees the boundaries the annotators used instead of its tokenizer's guess.
   */
  tokens?: TokenOffsets[];
  /** 1-based line the example starts on in its file. */
  line?: number;
}

/**
 * An attribute-value row (`{"text", "attributes": {name: [values]}}`): values are surface
 * strings, not offsets. An empty list says the attribute is absent from the text (`n/a`).
 */
export interface AttributeExample {
  text: string;
  category?: string;
  attributes: Record<string, string[]>;
  line?: number;
}

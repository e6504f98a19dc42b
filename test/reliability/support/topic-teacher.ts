import { createHash } from 'node:crypto';
import {
  batchTexts,
  generationAsk,
  labelingAnswer,
  type FakeHandler,
  type FakeLlmRequest,
} from '../../fake-llm/index.js';
import { TOPIC_LABELS, topicRows } from '../../fixtures/topics.js';

/** The identity of an HTTP request as the provider sees it: its body, byte for byte as parsed. */
export function bodyKey(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/**
 * A short fingerprint of a request body, echoed inside the answer. It lets a test find, in the
 * cache file, which HTTP requests' answers were stored: parsers ignore the extra field.
 */
export function traceOf(body: unknown): string {
  return createHash('sha256').update(bodyKey(body)).digest('hex').slice(0, 16);
}

/** All traces found in a cache body text (a cached answer is stored as its raw text). */
export function tracesIn(text: string): string[] {
  return [...text.matchAll(/\\?"trace\\?":\s*\\?"([0-9a-f]{16})/g)].map((m) => m[1]);
}

export interface TopicTeacherOptions {
  /** Label of each pool text: what a perfect teacher would say. */
  truth: ReadonlyMap<string, string>;
  /** Overrides the answer for chosen texts (e.g. an injected row the "model" obeys). */
  override?: (text: string) => string | undefined;
}

/**
 * A deterministic teacher: labels pool texts from `truth`, writes examples from the topic
 * vocabularies seeded by the request itself. The same request always gets the same answer, so a
 * run and its resumption see one consistent teacher, as with temperature 0.
 */
export function topicTeacher(options: TopicTeacherOptions): FakeHandler {
  return (req: FakeLlmRequest) => {
    const trace = traceOf(req.body);
    if (batchTexts(req)) {
      const text = labelingAnswer(req, {
        answer: (t) => options.override?.(t) ?? options.truth.get(t),
        fallback: TOPIC_LABELS[0],
      });
      return JSON.stringify({ ...JSON.parse(text), trace });
    }
    const ask = generationAsk(req);
    if (ask) return JSON.stringify({ examples: writeExamples(ask.label, ask.n, trace), trace });
    return { kind: 'http', status: 400, body: { error: { message: 'topic teacher: unrecognised prompt' } } };
  };
}

function writeExamples(label: string, n: number, trace: string): string[] {
  const seed = Number.parseInt(trace.slice(0, 8), 16);
  const rows = topicRows(n * TOPIC_LABELS.length + TOPIC_LABELS.length, seed).filter((r) => r.label === label);
  return rows.slice(0, n).map((r, i) => r.text.replace(/#\d+$/, `(${trace.slice(0, 6)}-${i})`));
}

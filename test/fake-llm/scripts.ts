import type { FakeHandler, FakeLlmRequest, FakeReply } from './types.js';

/**
 * Building blocks for scripted handlers. They read Apprentice's own prompts back (see
 * src/teacher/prompts.ts): the `<texts>` block of a labeling prompt, the first line of a
 * generation prompt. A different client would need its own readers; the server does not care.
 */

function lastUser(req: FakeLlmRequest): string {
  for (let i = req.messages.length - 1; i >= 0; i--)
    if (req.messages[i].role === 'user') return req.messages[i].content;
  return '';
}

/** The texts of a labeling request, in batch order; undefined when the request is not one. */
export function batchTexts(req: FakeLlmRequest): string[] | undefined {
  // The original prompt, not a correction turn: it is the first user message.
  const prompt = req.messages.find((m) => m.role === 'user')?.content ?? '';
  const block = /<texts>\n([\s\S]*?)\n<\/texts>/.exec(prompt);
  if (!block) return undefined;
  return block[1].split('\n').map((line) => {
    const m = /^\d+\. (".*")$/.exec(line);
    if (!m) throw new Error(`unexpected line in <texts> block: ${line}`);
    return JSON.parse(m[1]) as string;
  });
}

/** `{ label, n }` of a generation request; undefined when the request is not one. */
export function generationAsk(req: FakeLlmRequest): { label: string; n: number } | undefined {
  const prompt = req.messages.find((m) => m.role === 'user')?.content ?? '';
  const m = /^Write (\d+) different texts whose correct label is (".*?")\.$/m.exec(prompt);
  return m ? { n: Number(m[1]), label: JSON.parse(m[2]) as string } : undefined;
}

/** True when the last user turn asks to correct an earlier unusable answer. */
export function isCorrection(req: FakeLlmRequest): boolean {
  return req.messages.filter((m) => m.role === 'user').length > 1 && /could not be used/.test(lastUser(req));
}

function itemProperties(schema: any): Record<string, unknown> {
  return schema?.properties?.items?.items?.properties ?? {};
}

export interface LabelerOptions {
  /** Label(s) for a text; undefined falls back to `fallback`. */
  answer: (text: string, req: FakeLlmRequest) => string | string[] | undefined;
  fallback?: string;
}

/** The JSON a well-behaved model would send for a labeling request. */
export function labelingAnswer(req: FakeLlmRequest, options: LabelerOptions): string {
  const texts = batchTexts(req) ?? [];
  const props = itemProperties(req.schema);
  const multi = 'labels' in props;
  const items = texts.map((text, i) => {
    const given = options.answer(text, req) ?? options.fallback ?? 'other';
    const labels = Array.isArray(given) ? given : [given];
    return {
      id: String(i + 1),
      ...(multi ? { labels } : { label: labels[0] }),
      ...('rationale' in props ? { rationale: `because of the words in text ${i + 1}` } : {}),
    };
  });
  return JSON.stringify({ items });
}

/** The JSON a well-behaved model would send for a generation request. */
export function generationAnswer(req: FakeLlmRequest, make?: (label: string, n: number) => string[]): string {
  const ask = generationAsk(req);
  if (!ask) throw new Error('not a generation request');
  const examples = make
    ? make(ask.label, ask.n)
    : Array.from({ length: ask.n }, (_, i) => `a made-up ${ask.label} message, number ${i + 1}`);
  return JSON.stringify({ examples });
}

export interface FakeTeacherOptions extends LabelerOptions {
  generate?: (label: string, n: number, req: FakeLlmRequest) => string[];
}

/** A handler that labels from `answer` and generates plain examples: a teacher that behaves. */
export function fakeTeacher(options: FakeTeacherOptions): FakeHandler {
  return (req): FakeReply => {
    if (batchTexts(req)) return labelingAnswer(req, options);
    if (generationAsk(req)) return generationAnswer(req, options.generate && ((l, n) => options.generate!(l, n, req)));
    return {
      kind: 'http',
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'fake teacher: unrecognised prompt' } },
    };
  };
}

/** Labels from a dictionary of text → label(s). */
export function dictionaryTeacher(dict: Record<string, string | string[]>, fallback?: string): FakeHandler {
  return fakeTeacher({ answer: (text) => dict[text], fallback });
}

/** An error body both SDK clients can read (OpenAI wants `error.message`, Anthropic `type: "error"`). */
export function httpError(status: number, message: string, headers?: Record<string, string>): FakeReply {
  return { kind: 'http', status, headers, body: { type: 'error', error: { type: 'api_error', message } } };
}

import { z } from 'zod';
import { DataFileError } from '../errors.js';
import { ExportDir } from './out-dir.js';
import { checkJsonl, toJsonl } from './jsonl.js';
import { type RunTask, readRunData } from './run-data.js';
import { splitExamples } from './split.js';
import type { ExportOptions, ExportResult } from './kinds.js';

/**
 * `apprentice export openai-finetune`: chat-format JSONL for OpenAI's fine-tuning API
 * (`{"messages": [system, user, assistant]}` per line): system = the task instruction and its
 * labels, user = the text, assistant = the label (or `{"labels": [...]}` for multi-label tasks).
 * Upload train.jsonl as training_file and validation.jsonl as validation_file.
 */
export const OPENAI_FILES = ['train.jsonl', 'validation.jsonl'] as const;
/** The fine-tuning API refuses a training file with fewer examples. */
export const OPENAI_MIN_EXAMPLES = 10;

const Message = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().min(1) }).strict();
const ChatRow = z
  .object({ messages: z.array(Message).length(3) })
  .strict()
  .refine(
    (r) => r.messages.map((m) => m.role).join() === 'system,user,assistant',
    'roles must be system, user, assistant',
  );

export async function exportOpenAiFinetune(
  runDir: string,
  outDir: string,
  options: ExportOptions,
): Promise<ExportResult> {
  const run = readRunData(runDir);
  const usable = run.examples.filter((e) => e.text.trim() !== '');
  const { train, validation } = splitExamples(usable, options.validationShare ?? 0.1);
  if (train.length < OPENAI_MIN_EXAMPLES)
    throw new DataFileError(
      runDir,
      `OpenAI fine-tuning needs at least ${OPENAI_MIN_EXAMPLES} training examples; this run has ${train.length}`,
      { hint: 'distill with a larger budget, or lower --validation' },
    );
  const system = systemPrompt(run.task);
  const row = (text: string, labels: string[]) => ({
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: text },
      { role: 'assistant', content: run.task.multiLabel ? JSON.stringify({ labels }) : labels[0] },
    ],
  });
  const out = new ExportDir(outDir, OPENAI_FILES, options);
  out.write('train.jsonl', toJsonl(train.map((e) => row(e.text, e.labels))));
  out.write('validation.jsonl', toJsonl(validation.map((e) => row(e.text, e.labels))));
  const names = new Set(run.task.labels.map((l) => l.name));
  for (const f of OPENAI_FILES) {
    for (const r of checkJsonl(out.path(f), ChatRow, 'OpenAI chat fine-tuning')) {
      const answer = r.messages[2].content;
      const labels = run.task.multiLabel ? (JSON.parse(answer) as { labels: string[] }).labels : [answer];
      if (!labels.every((l) => names.has(l))) throw new Error(`export bug: ${f} has an answer outside the labels`);
    }
  }
  return {
    dir: out.dir,
    files: out.written,
    train: train.length,
    validation: validation.length,
    note: 'Upload with the OpenAI fine-tuning API: train.jsonl as training_file, validation.jsonl as validation_file.',
  };
}

/** The instruction the fine-tuned model will get at inference time too: send the same system message. */
export function systemPrompt(task: RunTask): string {
  const labels = task.labels.map((l) => `- ${l.name}${l.description ? `: ${l.description.trim()}` : ''}`).join('\n');
  const answer = task.multiLabel
    ? 'Answer with JSON only: {"labels": [...]}, listing every label that applies (possibly none).'
    : 'Answer with exactly one label name and nothing else.';
  return `${task.instruction.trim()}\n\nLabels:\n${labels}\n\n${answer}`;
}

import type { LabelInput, LabelOptions, LabelResult, Teacher } from '../teacher/types.js';

/**
 * A teacher that answers texts people already labeled in the studio from those labels (free: the
 * wrapped teacher, and so its gate, budget and cache, never see them) and asks the wrapped teacher
 * for the rest. For distill: `withHumanLabels(teacher, humanLabels(file, task.name))`.
 *
 * Not wired into distill yet: rows labeled this way still carry the teacher's id as provenance,
 * since the loop stamps `teacher.id` on every row; marking them `human` (and counting them in the
 * report) needs the loop to ask the result for its source.
 */
export function withHumanLabels(teacher: Teacher, human: ReadonlyMap<string, readonly string[]>): Teacher {
  if (human.size === 0) return teacher;
  const wrapped: Teacher = {
    id: teacher.id,
    kind: teacher.kind,
    concurrency: teacher.concurrency,
    rejectionHint: teacher.rejectionHint,
    async label(inputs: LabelInput[], options?: LabelOptions): Promise<LabelResult[]> {
      const ask = inputs.filter((i) => !human.has(i.text));
      const answers = ask.length > 0 ? await teacher.label(ask, options) : [];
      const byId = new Map(answers.map((a) => [a.id, a]));
      return inputs.map((i): LabelResult => {
        const labels = human.get(i.text);
        if (labels) return { id: i.id, ok: true, labels: [...labels], confidence: 1, rationale: 'human' };
        return byId.get(i.id) ?? { id: i.id, ok: false, raw: '', reason: 'no answer for this input' };
      });
    },
    generate: (request) => teacher.generate(request),
  };
  if (teacher.ask) wrapped.ask = (request) => teacher.ask!(request);
  if (teacher.clusters) wrapped.clusters = () => teacher.clusters!();
  return wrapped;
}

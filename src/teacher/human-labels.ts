import type { HumanLabel } from '../store/corrections.js';
import type { LabelInput, LabelOptions, LabelResult, Teacher } from './types.js';

/**
 * A teacher that answers texts people already labeled in the studio from those labels, and asks the
 * wrapped teacher for the rest. Free: the wrapped teacher (so its gate, budget and cache) never sees
 * a corrected text. Answers carry `source: 'human'` and the reviewer, so the loop stamps the row
 * with them instead of the teacher's id. Texts marked unusable are not answered here: distill keeps
 * them away from the teacher (and out of training) before they could be asked.
 */
export function withHumanLabels(teacher: Teacher, human: ReadonlyMap<string, HumanLabel>): Teacher {
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
        const h = human.get(i.text);
        if (h)
          return { id: i.id, ok: true, labels: [...h.labels], confidence: 1, source: 'human', reviewer: h.reviewer };
        return byId.get(i.id) ?? { id: i.id, ok: false, raw: '', reason: 'no answer for this input' };
      });
    },
    generate: (request) => teacher.generate(request),
  };
  if (teacher.ask) wrapped.ask = (request) => teacher.ask!(request);
  if (teacher.clusters) wrapped.clusters = () => teacher.clusters!();
  return wrapped;
}

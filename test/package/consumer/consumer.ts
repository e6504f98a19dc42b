// Type-checked (not run) in the fresh project: the published .d.ts must describe the API.
import { type Student, loadStudent, trainStudent, ConfigError, type Task } from 'apprentice';
import { loadStudent as loadRuntime, type RuntimePrediction, type RuntimeStudent } from 'apprentice/runtime';
import type { StudentFactory } from 'apprentice/testing';

const student: Student = trainStudent('hashed-linear', [{ text: 'a', labels: ['x'] }], {
  labels: ['x', 'y'],
  multiLabel: false,
  seed: 1,
});
const again: Student = loadStudent(student.toBytes());
const top: string | undefined = again.predict('a').labels[0];
const probs: Float32Array = again.predict('a').probs;

async function inBrowser(url: string): Promise<string[]> {
  const rt: RuntimeStudent = await loadRuntime(url);
  const p: RuntimePrediction = rt.predict('hello');
  const best: number = p.scores[0].score;
  return best > 0.5 ? p.labels : rt.labels;
}

const factory: StudentFactory = {
  train: (rows, options) => trainStudent('hashed-linear', rows, options),
  load: (bytes) => loadStudent(bytes),
};
const err: Error = new ConfigError('x');
export type { Task };
export { top, probs, inBrowser, factory, err };

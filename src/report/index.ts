export { renderReport } from './render.js';
export { writeReport } from './write-report.js';
export { trainingBreakdown, teacherMsPerAnswer } from './report-inputs.js';
export { trainingDiversity, NEAR_DUP_THRESHOLD } from './diversity.js';
export type { ReportData, WrongExample, TrainingBreakdown, DataChecks } from './types.js';

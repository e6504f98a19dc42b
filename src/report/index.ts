export { renderReport } from './render.js';
export { writeReport } from './write-report.js';
export { trainingBreakdown, teacherMsPerAnswer } from './report-inputs.js';
export type { ReportData, WrongExample, TrainingBreakdown } from './types.js';

/**
 * Experiments: several trainings on one dataset compared in one table (DESIGN.md: `experiments/`). A
 * library like `model/`: the weighting bench runs it, and the service can run the same comparison on a
 * user's data.
 *
 * - a plan (`plan.ts`): rows x seeds of training specs, each run with a spec hash;
 * - (the runner that trains a plan, as a study on a private service, is `queue/experiment-runner.ts`: it
 *   drives the queue and a worker, which this library does not import);
 * - the results store (`results-store.ts`): one JSON file per finished run (`run-result.ts`);
 * - the table (`table.ts`, `summary.ts`) and the pictures (`plots.ts`), pure functions of the results.
 *
 * @packageDocumentation
 */
export * from './plan.js';
export * from './dataset.js';
export * from './errors.js';
export * from './run-result.js';
export * from './results-store.js';
export { completeRun, RunRecording, type CompletedTraining } from './run-recording.js';
export * from './study-run.js';
export * from './table.js';
export * from './summary.js';
export * from './plots.js';
export * from './weighting-study.js';
export * from './study-plan.js';
export * from './summary-csv.js';

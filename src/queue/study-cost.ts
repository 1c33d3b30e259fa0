/**
 * What a study is checked against before anything of it is queued: the dataset as for a training job,
 * the cost limits for one run (its runs share the dataset and differ only in weighting and seed), and
 * room in the queue for all of them at once.
 *
 * @packageDocumentation
 */
import { ValidationError } from '../errors.js';
import type { PlannedRun } from '../experiments/plan.js';
import type { ResolvedStudyRequest } from '../experiments/study-plan.js';
import type { TrainingSpec } from '../model/training-spec.js';
import { checkSubmittedDataset } from './dataset-check.js';
import { checkJobBudget, type JobLimits } from './job-budget.js';

/** The service settings a study is checked against (`StudyProducerOptions`' share of them). */
export interface StudyCostOptions {
  dataDir: string;
  artifactDir: string;
  maxQueuedJobs: number;
  limits?: JobLimits | undefined;
}

/**
 * Checks a study's dataset, one run's cost and its number of runs.
 *
 * @throws {@link ValidationError} (400) naming the field; `DatasetError` / `JobTooLargeError` (422) as for
 *   a job.
 */
export async function checkStudyCost(
  request: ResolvedStudyRequest,
  runs: readonly PlannedRun[],
  options: StudyCostOptions,
): Promise<void> {
  const first = runs[0]!;
  const { dataset } = request;
  let samples: { train: number; validation: number };
  let costed: TrainingSpec = first.spec.training;
  if (dataset.kind === 'cityscapes') {
    samples = await checkSubmittedDataset(options.dataDir, first.spec.training);
  } else {
    samples = { train: dataset.train, validation: dataset.validation + dataset.test };
    // Costed as the synthetic job that generates the same scenes: what the generated-pixels limit means.
    costed = {
      ...first.spec.training,
      dataset: {
        kind: 'synthetic',
        scenes: dataset.train,
        validationScenes: dataset.validation + dataset.test,
        size: dataset.size,
        seed: dataset.seed,
      },
    };
    const { batchSize } = first.spec.training.training;
    if (dataset.train < batchSize) {
      const message = `must be at least training.batchSize (${batchSize}): an epoch is whole batches`;
      throw new ValidationError(`dataset.train ${message}`, [{ path: '/body/dataset/train', message }]);
    }
  }
  if (options.limits !== undefined) {
    await checkJobBudget(costed, samples, options.limits, options.artifactDir);
  }
  if (runs.length > options.maxQueuedJobs) {
    const message = `the study has ${runs.length} runs, more than MAX_QUEUED_JOBS (${options.maxQueuedJobs}) lets wait at once`;
    throw new ValidationError(`methods: ${message}`, [{ path: '/body/methods', message }]);
  }
}

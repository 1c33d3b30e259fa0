/**
 * TypeBox schemas of what travels through the training queue: the job payload, the progress record the
 * worker publishes, the result it returns, and the public job view the API answers with.
 *
 * The API's response schemas reuse these, so the OpenAPI contract, the worker and the producer cannot drift.
 *
 * @packageDocumentation
 */
import { Type, type Static } from '@sinclair/typebox';
import type { TrainingJobResult } from '../model/training-job.js';
import { JobLabelsSchema, JobNameSchema } from '../model/job-labels.js';
import { TrainingSpecSchema } from '../model/training-spec.js';

export type { TrainingJobResult } from '../model/training-job.js';

/**
 * Public states of a training job. Why these six: what a client can act on; BullMQ's own states are finer.
 * `cancelling` is a running job whose cancellation was requested, until its worker has stopped it.
 */
export const JOB_STATUSES = ['queued', 'running', 'cancelling', 'completed', 'failed', 'cancelled'] as const;

/** One public state of a training job. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** States after which nothing changes any more. */
export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

/** Whether `status` is final. */
export function isTerminalStatus(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** `queued | running | cancelling | completed | failed | cancelled`. */
export const JobStatusSchema = Type.Union(
  JOB_STATUSES.map((s) => Type.Literal(s)),
  {
    description:
      'queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; cancelling: a running job asked to stop, until its worker has stopped it (within a few seconds, in any phase); completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.',
  },
);

/** A number per task (absent tasks were not trained). */
const perTask = (description: string) =>
  Type.Object(
    {
      segmentation: Type.Optional(Type.Number()),
      instances: Type.Optional(Type.Number()),
      depth: Type.Optional(Type.Number()),
    },
    { description },
  );

/** The compute backend a worker trained on. */
export const JobBackendSchema = Type.Object(
  {
    name: Type.String({ description: 'tfjs backend: tensorflow, wasm or cpu.' }),
    package: Type.String({ description: 'npm package that provides it.' }),
    gpu: Type.Boolean({ description: 'Whether it runs on a CUDA device.' }),
  },
  { description: 'Compute backend of the worker.' },
);

/** Which worker slot runs a job. */
export const JobWorkerSchema = Type.Object(
  {
    name: Type.String({ description: 'The worker process, as host:pid.' }),
    slot: Type.Integer({
      minimum: 0,
      description:
        "The worker's slot the job runs in, 0 .. WORKER_CONCURRENCY - 1 (one training child each).",
    }),
  },
  { description: 'The worker slot that runs the job (or, once it ended, ran it last).' },
);

/** Which worker slot runs a job. */
export type JobWorker = Static<typeof JobWorkerSchema>;

/**
 * sigma, s* and s - s* per task beside the log-variances (uncertainty strategies only), in every step and
 * epoch report.
 */
const learnedWeightingFields = () => ({
  sigmas: Type.Optional(perTask('sigma = exp(s / 2) per task (uncertainty strategies).')),
  optimalLogVariances: Type.Optional(
    perTask(
      'Optimum s* of the form for the running mean raw loss (bias-corrected exponential average, decay 0.98, ~50 steps; uncertainty strategies).',
    ),
  ),
  logVarianceGaps: Type.Optional(perTask('s - s* per task (uncertainty strategies).')),
});

/** One finished epoch, as the trainer reports it. */
export const EpochSummarySchema = Type.Object(
  {
    epoch: Type.Integer({ minimum: 1, description: 'Epochs done (1-based).' }),
    losses: perTask('Mean raw (unweighted) loss of each task over the epoch.'),
    weights: perTask('Effective weight of each task at the end of the epoch.'),
    logVariances: Type.Optional(perTask('Learned log-variances s = log sigma^2 (uncertainty strategies).')),
    ...learnedWeightingFields(),
    learningRate: Type.Number(),
    metrics: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'Validation metrics after the epoch.' }),
    ),
    durationMs: Type.Number({ minimum: 0 }),
    checkpoint: Type.Optional(Type.String({ description: 'Checkpoint written after the epoch.' })),
  },
  { description: 'One finished epoch.' },
);

/** Phases of a running job. */
export const JOB_PHASES = ['preparing', 'training', 'validating', 'saving'] as const;

/** One phase of a running job. */
export type JobPhase = (typeof JOB_PHASES)[number];

/** The latest training step, as reported by the trainer. */
export const StepSnapshotSchema = Type.Object({
  epoch: Type.Integer({ minimum: 1, description: 'Epoch in progress, 1-based.' }),
  epochs: Type.Integer({ minimum: 1 }),
  step: Type.Integer({ minimum: 0, description: 'Steps done over all epochs.' }),
  totalSteps: Type.Integer({ minimum: 0 }),
  stepInEpoch: Type.Integer({ minimum: 0 }),
  stepsPerEpoch: Type.Integer({ minimum: 0 }),
  losses: perTask('Raw (unweighted) loss of each task on the latest batch.'),
  totalLoss: Type.Number({ description: 'The weighted total that was minimised.' }),
  weights: perTask('Effective weight of each task.'),
  logVariances: Type.Optional(perTask('Learned log-variances s = log sigma^2 (uncertainty strategies).')),
  ...learnedWeightingFields(),
  learningRate: Type.Number(),
  stepMs: Type.Number({ minimum: 0, description: 'Duration of the latest step.' }),
});

/** The latest training step. */
export type StepSnapshot = Static<typeof StepSnapshotSchema>;

/**
 * What a worker publishes with `job.updateProgress` (stored in the BullMQ job, survives retries and moves
 * between workers because the worker seeds it from the previous attempt).
 */
export const JobProgressRecordSchema = Type.Object({
  phase: Type.Union(JOB_PHASES.map((p) => Type.Literal(p))),
  /** First time any worker started the job (ISO). */
  startedAt: Type.String(),
  /** When this attempt started (ISO). */
  attemptStartedAt: Type.String(),
  updatedAt: Type.String(),
  backend: Type.Optional(JobBackendSchema),
  /** The slot of the worker running this attempt. */
  worker: Type.Optional(JobWorkerSchema),
  /** Data-parallel replicas of this attempt. */
  replicas: Type.Optional(Type.Integer({ minimum: 1 })),
  resumedFrom: Type.Optional(Type.String()),
  /** The global step of `resumedFrom`. */
  resumedAtStep: Type.Optional(Type.Integer({ minimum: 0 })),
  latest: Type.Optional(StepSnapshotSchema),
  percent: Type.Number({ minimum: 0, maximum: 100 }),
  etaSeconds: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  history: Type.Array(EpochSummarySchema),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});

/** What a worker publishes as progress. */
export type JobProgressRecord = Static<typeof JobProgressRecordSchema>;

/**
 * A training job that is one run of a study (docs/studies-design.md): the study's id and the planned run
 * (`PlannedRun` of src/experiments: row, seed, run spec, spec hash), so that the worker finishes it as
 * the experiment runner does, with its curve and its result file.
 */
export const StudyRunSchema = Type.Object({
  id: Type.String(),
  run: Type.Record(Type.String(), Type.Unknown()),
});

/** The study run a training job carries. */
export type StudyRunData = Static<typeof StudyRunSchema>;

/** The payload of a training job in the queue. */
export const TrainingJobDataSchema = Type.Object({
  /** The validated spec, defaults applied. */
  spec: TrainingSpecSchema,
  /** When the API accepted it (ISO). */
  submittedAt: Type.String(),
  /** Set when the job is a run of a study. */
  study: Type.Optional(StudyRunSchema),
});

/** The payload of a training job. */
export type TrainingJobData = Static<typeof TrainingJobDataSchema>;

/**
 * What the worker returns when training completed (stored as the BullMQ job's return value): the schema of
 * the training library's {@link TrainingJobResult}, which is the one definition of that shape.
 */
export const TrainingJobResultSchema = Type.Object({
  modelId: Type.String(),
  steps: Type.Integer({ minimum: 0 }),
  metrics: Type.Record(Type.String(), Type.Unknown()),
  history: Type.Array(EpochSummarySchema),
  resumedFrom: Type.Optional(Type.String()),
  backend: JobBackendSchema,
  replicas: Type.Optional(Type.Integer({ minimum: 1 })),
});

/** Compiles only when `T` is `true`. */
type Expect<T extends true> = T;
type SchemaResult = Static<typeof TrainingJobResultSchema>;
/** Fields that one of the two names and the other does not. */
type UnsharedFields =
  Exclude<keyof TrainingJobResult, keyof SchemaResult> | Exclude<keyof SchemaResult, keyof TrainingJobResult>;
/**
 * Compile-time check that the schema describes the library's result: every result fits it, and both name
 * the same fields (the schema's `backend.name` is any string, the library's one of the backend names).
 */
type _ResultSchemaDescribesTrainingJobResult = Expect<
  [TrainingJobResult] extends [SchemaResult] ? ([UnsharedFields] extends [never] ? true : false) : false
>;

/** A checkpoint on disk. */
export const CheckpointInfoSchema = Type.Object(
  {
    name: Type.String({ description: 'Directory name under ARTIFACT_DIR/jobs/{id}/checkpoints/.' }),
    epoch: Type.Integer({ minimum: 0, description: 'Whole epochs done.' }),
    stepInEpoch: Type.Integer({ minimum: 0, description: 'Steps done into the next epoch (0 = epoch end).' }),
    globalStep: Type.Integer({ minimum: 0 }),
  },
  { description: 'A checkpoint the job can resume from.' },
);

/** Progress of a running (or interrupted) job. */
export const JobProgressSchema = Type.Object(
  {
    phase: Type.Optional(
      Type.Union(
        JOB_PHASES.map((p) => Type.Literal(p)),
        {
          description:
            'preparing: building the dataset; training; validating; saving the model. Absent once the job has ended (completed, failed, cancelled).',
        },
      ),
    ),
    percent: Type.Number({ minimum: 0, maximum: 100, description: 'Steps done over all steps, in %.' }),
    etaSeconds: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
      description: 'Estimated seconds until the job ends (null until a few steps ran).',
    }),
    epoch: Type.Optional(Type.Integer({ minimum: 1, description: 'Epoch in progress, 1-based.' })),
    epochs: Type.Optional(Type.Integer({ minimum: 1 })),
    step: Type.Optional(Type.Integer({ minimum: 0, description: 'Steps done over all epochs.' })),
    totalSteps: Type.Optional(Type.Integer({ minimum: 0 })),
    stepInEpoch: Type.Optional(Type.Integer({ minimum: 0 })),
    stepsPerEpoch: Type.Optional(Type.Integer({ minimum: 0 })),
    losses: Type.Optional(perTask('Raw (unweighted) loss of each task on the latest batch.')),
    totalLoss: Type.Optional(Type.Number({ description: 'The weighted total that was minimised.' })),
    weights: Type.Optional(perTask('Effective weight of each task.')),
    logVariances: Type.Optional(perTask('Learned log-variances s = log sigma^2 (uncertainty strategies).')),
    ...learnedWeightingFields(),
    learningRate: Type.Optional(Type.Number()),
    stepMs: Type.Optional(Type.Number({ minimum: 0, description: 'Duration of the latest step.' })),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { description: 'Where training stands.' },
);

/** Progress of a job, as the API shows it. */
export type JobProgress = Static<typeof JobProgressSchema>;

/** The error of a failed job. The stack trace stays in Redis and the worker's logs. */
export const JobErrorSchema = Type.Object(
  {
    code: Type.String({ description: 'e.g. VALIDATION_ERROR, DATASET_ERROR, TRAINING_FAILED, STALLED.' }),
    message: Type.String(),
  },
  { description: 'Why the job failed.' },
);

/**
 * A training job as the API shows it. Why this order (the order of the answer's fields): what a poller
 * reads first (status, progress, model id, metrics, error) before the long parts (spec, history,
 * checkpoints), so that even the first few hundred bytes of the answer tell where the job stands.
 */
export const TrainingJobSchema = Type.Object(
  {
    id: Type.String({ description: 'Job id; also the id of the model it produces.' }),
    name: Type.Optional(JobNameSchema),
    labels: Type.Optional(JobLabelsSchema),
    status: JobStatusSchema,
    progress: Type.Optional(JobProgressSchema),
    modelId: Type.Optional(Type.String({ description: 'The trained model (when completed).' })),
    metrics: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'Validation metrics of the last epoch.' }),
    ),
    error: Type.Optional(JobErrorSchema),
    createdAt: Type.String({ format: 'date-time' }),
    startedAt: Type.Optional(Type.String({ format: 'date-time', description: 'First start by a worker.' })),
    finishedAt: Type.Optional(Type.String({ format: 'date-time' })),
    cancelRequestedAt: Type.Optional(Type.String({ format: 'date-time' })),
    attempts: Type.Object(
      {
        made: Type.Integer({ minimum: 0, description: 'Attempts made, the successful one included.' }),
        max: Type.Integer({ minimum: 1 }),
      },
      {
        description:
          'Tries of the job: a failure is retried up to max (JOB_ATTEMPTS); a worker stopping or dying does not use one.',
      },
    ),
    resumedFrom: Type.Optional(Type.String({ description: 'Checkpoint the latest attempt resumed from.' })),
    resumedAtStep: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'Global step of resumedFrom: the latest attempt trained on from this step.',
      }),
    ),
    backend: Type.Optional(JobBackendSchema),
    worker: Type.Optional(JobWorkerSchema),
    replicas: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          'Data-parallel replicas (threads) the latest attempt trains with (training.replicas resolved).',
      }),
    ),
    spec: TrainingSpecSchema,
    history: Type.Array(EpochSummarySchema, { description: 'Finished epochs with validation metrics.' }),
    checkpoints: Type.Array(CheckpointInfoSchema, { description: 'Checkpoints on disk, oldest first.' }),
  },
  { description: 'A training job.' },
);

/** A training job as the API shows it. */
export type TrainingJob = Static<typeof TrainingJobSchema>;

/** The long parts of a job that its summary leaves out. */
export const SUMMARY_OMITS = ['spec', 'history', 'checkpoints'] as const;

/**
 * A training job without its spec, history and checkpoints (`?view=summary`). Why: a poller needs status,
 * progress and the model id; the history grows with every epoch.
 */
export const TrainingJobSummarySchema = Type.Omit(TrainingJobSchema, SUMMARY_OMITS, {
  description: 'A training job without its spec, history and checkpoints (?view=summary).',
});

/** A training job without its spec, history and checkpoints. */
export type TrainingJobSummary = Static<typeof TrainingJobSummarySchema>;

/**
 * Trains a model from the command line and writes it to the artifact store.
 *
 * `npm run train -- --data DIR --tasks segmentation,instances,depth --weighting uncertainty --epochs N ...`
 * prints per-epoch losses, weights, s, sigmas, s* and s - s*, and validation metrics (and, with
 * `--log-every N`, the same for every N-th step). See {@link USAGE}.
 *
 * @packageDocumentation
 */
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { runTrainingJob } from '../model/training-job.js';
import { parseTrainingSpec } from '../model/training-spec.js';
import { TASKS, type PerTask, type Task } from '../model/tasks.js';
import type { EpochSummary, StepProgress } from '../model/training-progress.js';
import { selectBackend } from '../tf/index.js';
import { parseInteger, parseNumber, parseSize, runCli } from './cli-runner.js';
import { UsageError } from './usage-error.js';

const USAGE = `Usage: npm run train -- (--data DIR | --synthetic N) [options]

Trains a multi-task model (segmentation, instances, depth) and saves it under $ARTIFACT_DIR/models/ID.

Data (one of):
  --data DIR              a dataset in CityScapes layout (leftImg8bit/, gtFine/, disparity/, camera/)
  --synthetic N           generate N synthetic training scenes (and N/4 validation scenes)
  --synthetic-size HxW    size of generated scenes (default: the input size)
  --synthetic-seed S      generator seed (default: 1)
  --train-split NAME      (default: train)    --val-split NAME   (default: val)

Model and training:
  --tasks LIST            comma-separated subset of ${TASKS.join(',')} (default: all)
  --weighting NAME        uncertainty | uncertainty-positive | fixed | equal | gradnorm | dwa (default: uncertainty)
  --weights LIST          fixed weights, e.g. segmentation=0.89,instances=0.01,depth=0.1
  --initial-log-variance X  uncertainty: auto (default: s* of the first batch) or a number (0: the paper's)
  --width N               network width (default: 16)
  --input-size HxW        training resolution, multiples of 32 (default: 128x256)
  --epochs N              (default: 1)          --batch-size N      (default: 4)
  --optimizer NAME        adam | sgd (default: adam)
  --lr X                  learning rate         --log-variance-lr X learning rate of the log-variances
  --seed S                shuffle/flip seed (default: 1)        --no-augment   no random flips
  --log-every N           also print every N-th step: losses, weights, s, sigma, s*, s - s* (default: 0, off)
  --model-id ID           id of the saved model (default: train-<timestamp>)
  --backend NAME          auto | tensorflow | wasm | cpu (default: $TF_BACKEND or auto)
  -h, --help              show this help`;

function parseTasks(value: string | undefined): Task[] | undefined {
  if (value === undefined) return undefined;
  const tasks = value.split(',').map((t) => t.trim());
  for (const task of tasks) {
    if (!TASKS.includes(task as Task))
      throw new UsageError(`--tasks: unknown task "${task}" (use ${TASKS.join(', ')})`);
  }
  return tasks as Task[];
}

function parseWeights(value: string | undefined): PerTask<number> | undefined {
  if (value === undefined) return undefined;
  const weights: PerTask<number> = {};
  for (const pair of value.split(',')) {
    const [task, weight] = pair.split('=');
    if (!TASKS.includes(task as Task) || weight === undefined || !Number.isFinite(Number(weight))) {
      throw new UsageError(
        `--weights must look like segmentation=0.89,instances=0.01,depth=0.1, got "${value}"`,
      );
    }
    weights[task as Task] = Number(weight);
  }
  return weights;
}

const fmt = (values: PerTask<number> | undefined, digits = 3) =>
  Object.entries(values ?? {})
    .map(([task, v]) => `${task} ${v.toFixed(digits)}`)
    .join(', ');

function printEpoch(summary: EpochSummary, epochs: number): void {
  const headline =
    (summary.metrics as { headline?: Record<string, number | null> } | undefined)?.headline ?? {};
  const metric = (key: string, scale = 1, unit = '') =>
    headline[key] === null || headline[key] === undefined
      ? 'n/a'
      : `${(headline[key]! * scale).toFixed(2)}${unit}`;
  console.log(`epoch ${summary.epoch}/${epochs} (${(summary.durationMs / 1000).toFixed(1)} s)`);
  console.log(`  losses:  ${fmt(summary.losses)}`);
  console.log(`  weights: ${fmt(summary.weights)}`);
  if (summary.logVariances) console.log(`  s:       ${fmt(summary.logVariances)}`);
  if (summary.sigmas) console.log(`  sigmas:  ${fmt(summary.sigmas)}`);
  if (summary.optimalLogVariances) console.log(`  s*:      ${fmt(summary.optimalLogVariances)}`);
  if (summary.logVarianceGaps) console.log(`  s - s*:  ${fmt(summary.logVarianceGaps)}`);
  console.log(
    `  val:     mIoU ${metric('meanIoU', 100, '%')}, instance error ${metric('instanceErrorPx', 1, ' px')}, ` +
      `disparity error ${metric('disparityErrorPx', 1, ' px')}, PQ ${metric('pq', 100, '%')}`,
  );
}

function printStep(step: StepProgress): void {
  const parts = [
    `step ${step.step}/${step.totalSteps}: losses ${fmt(step.losses)}`,
    `weights ${fmt(step.weights)}`,
    ...(step.logVariances ? [`s ${fmt(step.logVariances)}`] : []),
    ...(step.sigmas ? [`sigmas ${fmt(step.sigmas)}`] : []),
    ...(step.optimalLogVariances ? [`s* ${fmt(step.optimalLogVariances)}`] : []),
    ...(step.logVarianceGaps ? [`s - s* ${fmt(step.logVarianceGaps)}`] : []),
  ];
  console.log(parts.join('; '));
}

/** `--initial-log-variance`: "auto" or a number. */
function parseInitialLogVariance(value: string | undefined): 'auto' | number | undefined {
  if (value === undefined || value === 'auto') return value;
  return parseNumber(value, '--initial-log-variance');
}

await runCli(USAGE, async () => {
  const { values } = parseArgs({
    strict: true,
    allowPositionals: false,
    options: {
      data: { type: 'string' },
      synthetic: { type: 'string' },
      'synthetic-size': { type: 'string' },
      'synthetic-seed': { type: 'string' },
      'train-split': { type: 'string' },
      'val-split': { type: 'string' },
      tasks: { type: 'string' },
      weighting: { type: 'string', default: 'uncertainty' },
      weights: { type: 'string' },
      'initial-log-variance': { type: 'string' },
      'log-every': { type: 'string' },
      width: { type: 'string' },
      'input-size': { type: 'string', default: '128x256' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      optimizer: { type: 'string' },
      lr: { type: 'string' },
      'log-variance-lr': { type: 'string' },
      seed: { type: 'string' },
      'no-augment': { type: 'boolean' },
      'model-id': { type: 'string' },
      backend: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if ((values.data === undefined) === (values.synthetic === undefined)) {
    throw new UsageError('give exactly one of --data DIR or --synthetic N');
  }
  const config = loadConfig({ ...process.env, ...(values.backend ? { TF_BACKEND: values.backend } : {}) });
  const inputSize = parseSize(values['input-size'], '--input-size');
  const dataDir = values.data !== undefined ? dirname(resolve(values.data)) : config.DATA_DIR;
  const dataset =
    values.data !== undefined
      ? {
          kind: 'cityscapes',
          path: basename(resolve(values.data)),
          ...(values['train-split'] ? { trainSplit: values['train-split'] } : {}),
          ...(values['val-split'] ? { validationSplit: values['val-split'] } : {}),
        }
      : {
          kind: 'synthetic',
          scenes: parseInteger(values.synthetic, '--synthetic', 16, 2),
          size: values['synthetic-size']
            ? parseSize(values['synthetic-size'], '--synthetic-size')
            : inputSize,
          seed: parseInteger(values['synthetic-seed'], '--synthetic-seed', 1, 0),
        };
  const spec = parseTrainingSpec({
    dataset,
    ...(values.tasks ? { tasks: parseTasks(values.tasks) } : {}),
    weighting: {
      strategy: values.weighting,
      ...(values.weights ? { weights: parseWeights(values.weights) } : {}),
      ...(values['initial-log-variance'] !== undefined
        ? { initialLogVariance: parseInitialLogVariance(values['initial-log-variance']) }
        : {}),
    },
    model: { width: parseInteger(values.width, '--width', 16), inputSize },
    training: {
      epochs: parseInteger(values.epochs, '--epochs', 1),
      batchSize: parseInteger(values['batch-size'], '--batch-size', 4),
      ...(values.optimizer ? { optimizer: values.optimizer } : {}),
      ...(values.lr ? { learningRate: parseNumber(values.lr, '--lr') } : {}),
      ...(values['log-variance-lr']
        ? { logVarianceLearningRate: parseNumber(values['log-variance-lr'], '--log-variance-lr') }
        : {}),
      seed: parseInteger(values.seed, '--seed', 1, 0),
      augment: !values['no-augment'],
    },
  });
  const logEvery = parseInteger(values['log-every'], '--log-every', 0, 0);
  const backend = await selectBackend(config.TF_BACKEND);
  const modelId = values['model-id'] ?? `train-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  console.log(`backend: ${backend.name} (${backend.reason})`);
  console.log(
    `training ${spec.tasks.join(', ')} with ${spec.weighting.strategy} weighting for ${spec.training.epochs} epoch(s)`,
  );
  const result = await runTrainingJob(spec, {
    jobId: modelId,
    dataDir,
    artifactDir: config.ARTIFACT_DIR,
    onEpoch: (summary) => printEpoch(summary, spec.training.epochs),
    ...(logEvery > 0
      ? { onStep: (step: StepProgress) => (step.step % logEvery === 0 ? printStep(step) : undefined) }
      : {}),
  });
  console.log(`model ${result.modelId} written to ${resolve(config.ARTIFACT_DIR, 'models', result.modelId)}`);
});

/**
 * How many steps the learned log-variances need to come within 0.1 of their optimum s* (for the running
 * mean raw loss, `RUNNING_LOSS_DECAY`), starting at 0 (the paper) or at "auto" (the first batch's s*).
 *
 *   npx tsx bench/log-variance-convergence.ts [--steps 300] [--out bench/results/log-variance-convergence.md]
 *
 * Real runs: synthetic 64x128 scenes, width 8, batch 8 (the weighting bench's quick profile), one replica,
 * both uncertainty forms x both starts. Then a replay: each run's recorded raw losses fed to the
 * log-variances' Adam alone (s's gradient depends only on s and L) for other optimiser settings, to pick
 * them without a real run per setting (the network's reaction to the weights is what a replay leaves out).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setLogLevel } from '../src/logger.js';
import {
  DEFAULT_LOG_VARIANCE_LEARNING_RATE,
  LOG_VARIANCE_BETA1,
  LOG_VARIANCE_BETA2,
  LOG_VARIANCE_EPSILON,
} from '../src/model/optimizers.js';
import { TASKS, isRegression, type PerTask, type Task } from '../src/model/tasks.js';
import type { StepProgress } from '../src/model/training-progress.js';
import { runTrainingJob } from '../src/model/training-job.js';
import { parseTrainingSpec } from '../src/model/training-spec.js';
import {
  clampLogVariance,
  optimalLogVariance,
  runningMeanLoss,
  updateRunningLoss,
  type RunningLoss,
  type UncertaintyForm,
} from '../src/model/weighting/index.js';
import { selectBackend } from '../src/tf/index.js';

/** Within this of s* counts as reached (the issue's threshold). */
const THRESHOLD = 0.1;
const FORMS: UncertaintyForm[] = ['uncertainty', 'uncertainty-positive'];
const STARTS = [0, 'auto'] as const;
/** Replayed optimiser settings: learning rate, beta2 (beta1 0.9 and epsilon as the defaults). */
const REPLAYS: [number, number][] = [
  [0.01, 0.999],
  [0.01, 0.99],
  [0.02, 0.999],
  [0.02, 0.99],
  [0.05, 0.99],
];

interface Trace {
  form: UncertaintyForm;
  start: (typeof STARTS)[number];
  losses: PerTask<number>[];
  s: PerTask<number>[];
  gaps: PerTask<number>[];
  seconds: number;
}

/** First step (1-based) with |gap| < threshold, and the step from which it stays below; null if never. */
function convergence(gaps: number[]): { first: number | null; settled: number | null } {
  const first = gaps.findIndex((g) => Math.abs(g) < THRESHOLD);
  let settled = gaps.length;
  while (settled > 0 && Math.abs(gaps[settled - 1]!) < THRESHOLD) settled -= 1;
  return {
    first: first < 0 ? null : first + 1,
    settled: settled === gaps.length ? null : settled + 1,
  };
}

async function realRun(form: UncertaintyForm, start: (typeof STARTS)[number], steps: number, dir: string) {
  const batchSize = 8;
  const scenes = 96;
  const spec = parseTrainingSpec({
    dataset: { kind: 'synthetic', scenes, validationScenes: 2, size: [64, 128], seed: 1 },
    tasks: [...TASKS],
    weighting: { strategy: form, initialLogVariance: start },
    model: { width: 8, inputSize: [64, 128] },
    training: {
      epochs: Math.ceil(steps / (scenes / batchSize)),
      batchSize,
      learningRate: 3e-3,
      replicas: 1,
      seed: 1,
    },
  });
  const trace: Trace = { form, start, losses: [], s: [], gaps: [], seconds: 0 };
  const began = performance.now();
  await runTrainingJob(spec, {
    jobId: `lv-${form}-${start}`,
    dataDir: dir,
    artifactDir: dir,
    onStep: (p: StepProgress) => {
      trace.losses.push(p.losses);
      trace.s.push(p.logVariances!);
      trace.gaps.push(p.logVarianceGaps!);
    },
  });
  trace.seconds = (performance.now() - began) / 1000;
  return trace;
}

/** d/ds of the form's term for loss L (the gradient the log-variances' optimiser sees). */
function gradient(form: UncertaintyForm, task: Task, s: number, L: number): number {
  if (form === 'uncertainty-positive') return -0.5 * Math.exp(-s) * L + 1 / (1 + Math.exp(-s));
  return 0.5 - (isRegression(task) ? 0.5 : 1) * Math.exp(-s) * L;
}

/** The log-variances' Adam alone on a recorded loss sequence; returns s - s* per step. */
function replay(trace: Trace, lr: number, beta2: number): PerTask<number>[] {
  const s: PerTask<number> = {};
  const m: PerTask<number> = {};
  const v: PerTask<number> = {};
  let running: RunningLoss = { averages: {}, steps: 0 };
  const gaps: PerTask<number>[] = [];
  trace.losses.forEach((losses, i) => {
    const t = i + 1;
    const gap: PerTask<number> = {};
    for (const task of TASKS) {
      const L = losses[task]!;
      if (i === 0) s[task] = trace.start === 'auto' ? optimalLogVariance(trace.form, task, L) : 0;
      const g = gradient(trace.form, task, s[task]!, L);
      m[task] = LOG_VARIANCE_BETA1 * (m[task] ?? 0) + (1 - LOG_VARIANCE_BETA1) * g;
      v[task] = beta2 * (v[task] ?? 0) + (1 - beta2) * g * g;
      const mHat = m[task]! / (1 - LOG_VARIANCE_BETA1 ** t);
      const vHat = v[task]! / (1 - beta2 ** t);
      s[task] = clampLogVariance(s[task]! - (lr * mHat) / (Math.sqrt(vHat) + LOG_VARIANCE_EPSILON));
    }
    running = updateRunningLoss(running, losses);
    const mean = runningMeanLoss(running);
    for (const task of TASKS) gap[task] = s[task]! - optimalLogVariance(trace.form, task, mean[task]!);
    gaps.push(gap);
  });
  return gaps;
}

const fmt = (n: number | null) => (n === null ? 'never' : String(n));

function cell(gaps: PerTask<number>[], task: Task): string {
  const series = gaps.map((g) => g[task]!);
  const { first, settled } = convergence(series);
  return `${fmt(first)} / ${fmt(settled)} / ${series.at(-1)!.toFixed(3)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      steps: { type: 'string', default: '300' },
      out: { type: 'string', default: 'bench/results/log-variance-convergence.md' },
    },
  });
  const steps = Number(values.steps);
  setLogLevel('warn');
  await selectBackend('wasm');
  const dir = await mkdtemp(join(tmpdir(), 'lv-convergence-'));
  const traces: Trace[] = [];
  try {
    for (const form of FORMS) {
      for (const start of STARTS) {
        const trace = await realRun(form, start, steps, dir);
        for (const key of ['losses', 's', 'gaps'] as const) trace[key] = trace[key].slice(0, steps);
        traces.push(trace);
        console.log(`${form} start=${start}: ${trace.seconds.toFixed(0)} s`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const header = `| form | start | ${TASKS.join(' | ')} |\n|---|---|${TASKS.map(() => '---').join('|')}|`;
  const real = traces.map(
    (t) => `| ${t.form} | ${t.start} | ${TASKS.map((task) => cell(t.gaps, task)).join(' | ')} |`,
  );
  const replays = REPLAYS.flatMap(([lr, beta2]) =>
    traces.map(
      (t) =>
        `| ${lr} | ${beta2} | ${t.form} | ${t.start} | ${TASKS.map((task) => cell(replay(t, lr, beta2), task)).join(' | ')} |`,
    ),
  );
  const report = `# Log-variance convergence

\`npx tsx bench/log-variance-convergence.ts --steps ${steps}\` (${new Date().toISOString().slice(0, 10)}, wasm,
one replica). Synthetic 64x128, 96 scenes, width 8, batch 8, Adam 3e-3 with poly decay, ${steps} steps.
Log-variances: Adam lr ${DEFAULT_LOG_VARIANCE_LEARNING_RATE}, beta1 ${LOG_VARIANCE_BETA1}, beta2
${LOG_VARIANCE_BETA2}, epsilon ${LOG_VARIANCE_EPSILON}. s* is the optimum for the running mean raw loss
(bias-corrected exponential average, decay 0.98, ~50 steps).

Each cell: first step with |s - s*| < ${THRESHOLD} / step from which it stays below ${THRESHOLD} / s - s* at the
last step ("never": not within the run).

## Real runs

${header}
${real.join('\n')}

Wall time per run: ${traces.map((t) => `${t.form} ${t.start} ${t.seconds.toFixed(0)} s`).join(', ')}.

## Replay of the recorded losses with other settings of the log-variances' Adam

| lr | beta2 | form | start | ${TASKS.join(' | ')} |
|---|---|---|---|${TASKS.map(() => '---').join('|')}|
${replays.join('\n')}
`;
  await writeFile(values.out, report);
  console.log(report);
}

await main();

/**
 * Table 1 of Kendall, Gal & Cipolla (CVPR 2018) on synthetic street scenes, as a study of the service:
 * single-task models, the unweighted sum, a fixed-weight grid, the learned strategies, every row over
 * several seeds, "best fixed" chosen on the validation split and every row reported on the held-out test
 * split. The experiment runner (`src/queue/experiment-runner.ts`) submits the profile to the same study code
 * as `POST /v1/studies`, on a private Redis with one training worker, so the bench and a user's study are
 * one code path.
 *
 *   npm run bench:weighting                              # quick profile (~15-20 min on 2 free cores)
 *   npm run bench:weighting -- --profile standard        # the real table (hours; resumable)
 *   npm run bench:weighting -- --profile quick --stop-after 2   # a smoke test of the bench
 *   npm run bench:weighting -- --table-only              # only rewrite the table and plots
 *
 * Each finished run writes bench/results/weighting/<profile>/<row>-seed<k>.json (commit them); a later
 * invocation hands the runs whose file matches the plan's spec hash to the study as done, so a stopped
 * bench continues where it stopped, here or on a fresh clone. Every invocation rewrites
 * bench/results/weighting.md (both profiles' tables from the result files there) and the plots beside the
 * results.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  curveChartSpec,
  curveRecords,
  formatMeanStd,
  loadPlanResults,
  meanStd,
  planRuns,
  renderChartPng,
  renderSummaryTable,
  summariseExperiment,
  type ExperimentPlan,
  type ExperimentSummary,
  type RunResult,
} from '../src/experiments/index.js';
import { runExperiment, type RunnerEvent } from '../src/queue/experiment-runner.js';
import { setLogLevel } from '../src/logger.js';
import { PROFILES, profilePlan, QUICK, STANDARD } from './weighting-profiles.js';

const RESULTS = 'bench/results/weighting';
const REPORT = 'bench/results/weighting.md';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string', default: 'quick' },
      jobs: { type: 'string' },
      'stop-after': { type: 'string' },
      'work-dir': { type: 'string' },
      'table-only': { type: 'boolean', default: false },
    },
  });
  const profile = PROFILES[values.profile];
  if (profile === undefined) throw new Error(`--profile must be one of ${Object.keys(PROFILES).join(', ')}`);
  setLogLevel('warn');
  if (!values['table-only']) {
    const controller = new AbortController();
    // Why SIGHUP and SIGTERM too: a closed terminal or a `kill` must stop the private Redis and worker as
    // Ctrl-C does, not leave them running.
    const stop = (): void => {
      if (controller.signal.aborted) return;
      console.log('stopping: the runs in progress write a checkpoint; run the same command to continue');
      controller.abort();
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
    const stopAfter = positive(values['stop-after'], '--stop-after');
    const outcome = await runExperiment({
      request: profile,
      resultsDir: join(RESULTS, profile.name!),
      workDir: values['work-dir'] ?? join('.artifacts', 'bench-weighting'),
      concurrency: positive(values.jobs, '--jobs') ?? availableParallelism(),
      ...(stopAfter !== undefined ? { stopAfter } : {}),
      signal: controller.signal,
      env: { ...process.env, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' },
      onEvent: report,
    });
    console.log(
      `${profile.name!}: ${outcome.finished.length} finished, ${outcome.skipped.length} already done, ` +
        `${outcome.failed.length} failed, ${outcome.pending.length} pending of ${outcome.planned}`,
    );
    for (const failure of outcome.failed) console.log(`  failed ${failure.id}: ${failure.message}`);
    if (outcome.failed.length > 0) process.exitCode = 1;
  }
  const sections: string[] = [];
  for (const plan of [STANDARD, QUICK].map(profilePlan)) {
    const results = await loadPlanResults(join(RESULTS, plan.name), planRuns(plan));
    const plots = await writePlots(plan, results);
    sections.push(renderSection(plan, summariseExperiment(plan, results), results, plots));
  }
  await writeFile(REPORT, `${HEADER}\n${sections.join('\n')}\n${PAPER}`);
  console.log(`wrote ${REPORT}`);
}

/** One line per run as it starts and finishes, and at every quarter of its steps. */
function report(event: RunnerEvent): void {
  if (event.type === 'study') {
    const how = event.continued ? 'continuing study' : 'study';
    console.log(`${how} ${event.studyId}: training worker pid ${String(event.workerPid)}`);
    return;
  }
  const id = event.run.id;
  if (event.type === 'started') console.log(`start ${id} (job ${event.jobId})`);
  if (event.type === 'stale') console.log(`rerun ${id}: stored result is stale (${event.reason})`);
  if (event.type === 'finished') console.log(`done  ${id} in ${event.seconds.toFixed(0)} s`);
  if (event.type === 'failed') console.log(`FAIL  ${id}: ${event.message}`);
  if (event.type === 'progress' && Math.floor(event.percent / 25) > Math.floor(lastQuarter(id) / 25)) {
    console.log(`      ${id} ${event.percent.toFixed(0)}%`);
  }
  if (event.type === 'progress') quarters.set(id, event.percent);
}

/** The last progress reported per run, so that a line is printed once per quarter. */
const quarters = new Map<string, number>();
const lastQuarter = (id: string): number => quarters.get(id) ?? 0;

function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return n;
}

/** The curves of every learned row that has results: `<profile>/<row>-curves.png`; returns the file names. */
async function writePlots(plan: ExperimentPlan, results: readonly RunResult[]): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const row of plan.rows.filter((r) => r.group === 'learned')) {
    const own = results.filter((r) => r.row.id === row.id);
    if (own.length === 0) continue;
    const file = `${row.id}-curves.png`;
    const title = `${row.label}: ${plan.name} profile, ${own.length} seed${own.length === 1 ? '' : 's'}`;
    await mkdir(join(RESULTS, plan.name), { recursive: true });
    await writeFile(
      join(RESULTS, plan.name, file),
      await renderChartPng(curveChartSpec(title, curveRecords(own))),
    );
    files.set(row.id, file);
  }
  return files;
}

function renderSection(
  plan: ExperimentPlan,
  summary: ExperimentSummary,
  results: readonly RunResult[],
  plots: ReadonlyMap<string, string>,
): string {
  const d = plan.dataset.kind === 'synthetic' ? plan.dataset : undefined;
  const t = plan.training as { epochs: number; batchSize: number; learningRate: number };
  const steps = d ? t.epochs * Math.floor(d.train / t.batchSize) : undefined;
  const machines = [...new Set(results.map((r) => `${r.machine}, backend ${r.backend}`))];
  /** Per-step time of the runs in some groups, mean ± std over runs (wall: median step; CPU: per step). */
  const perStep = (groups: readonly string[], pick: (r: RunResult) => number | null | undefined) =>
    formatMeanStd(
      meanStd(
        results
          .filter((r) => groups.includes(r.row.group))
          .map(pick)
          .filter((v): v is number => typeof v === 'number'),
      ),
      1,
      0,
    );
  const timing = (label: string, groups: readonly string[]) =>
    `${label} ${perStep(groups, (r) => r.timing.medianStepMs)} ms wall (median step), ${perStep(groups, (r) => r.timing.cpuMsPerStep)} ms CPU`;
  const plotLinks = [...plots.entries()].map(
    ([row, file]) =>
      `- ${plan.rows.find((r) => r.id === row)!.label}: [${file}](weighting/${plan.name}/${file})`,
  );
  return `## ${plan.name} profile

Command: \`npm run bench:weighting -- --profile ${plan.name}\`. ${summary.runsDone} of ${summary.runsPlanned} runs done${
    summary.runsDone < summary.runsPlanned ? ' (a partial table: the seeds column says how many per row)' : ''
  }.
${d ? `Data: synthetic, generator seed ${d.seed}, ${d.train} training / ${d.validation} validation / ${d.test} test scenes at ${d.size[0]}x${d.size[1]} (three disjoint splits).` : ''}
Network width ${plan.model.width}, input ${plan.model.inputSize[0]}x${plan.model.inputSize[1]}; Adam, learning rate ${t.learningRate} with poly decay, batch ${t.batchSize},
${t.epochs} epochs${steps !== undefined ? ` (${steps} steps)` : ''}, random flips, one replica; seeds ${plan.seeds.join(', ')} (initialisation and data order).
Ran on: ${machines.length > 0 ? machines.join('; ') : '–'}${
    results.length > 0 ? `, 1-minute load average at the end of each run ${loadRange(results)}` : ''
  }.
Time per step, over runs: ${timing('single-task', ['single-task'])}; ${timing('equal and fixed', ['equal', 'fixed'])}; ${timing('learned', ['learned'])}.

${renderSummaryTable(summary)}

${plotLinks.length > 0 ? `Curves (per task: sigma, effective weight, s − s* where reported, raw loss; a dash per seed):\n\n${plotLinks.join('\n')}\n` : 'Curves: none yet (no learned row has finished).\n'}`;
}

/** The range of the load averages the runs finished at. */
function loadRange(results: readonly RunResult[]): string {
  const loads = results.map((r) => r.loadAverage).filter((l) => typeof l === 'number');
  if (loads.length === 0) return '–';
  return `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`;
}

const HEADER = `# Task weighting on synthetic street scenes (the paper's Table 1)

Generated by \`npm run bench:weighting\` (bench/weighting.ts). Each profile is a study request, run by the
experiment runner of \`src/queue/experiment-runner.ts\` as a study of the service: a private Redis (data under
\`.artifacts/bench-weighting/redis\`), one training worker taking the study's runs as ordinary training jobs,
and the same study code as \`POST /v1/studies\` (docs/studies.md), so the bench and a user's study are one
code path. \`--profile quick\` (default): every row, 2 seeds, small, for checking the bench (24 of its 34 runs took
9.5 minutes through the study path with 2 slots on this 2-core machine on 2026-12-03; the other 10, among
them the slower rows, ran earlier on a loaded machine, so the whole profile is an estimate, 15–20 minutes). \`--profile standard\`: the real table, 3 seeds,
2,000 steps a run; a step of the width-16 network at batch 8 took 237 ms (median) on one core of a quiet
machine here, so a run takes ~9 minutes with its validations (GradNorm about twice that) and the 51 runs ~4
hours on 2 free cores (an estimate). \`--jobs N\`: training jobs at once (the worker's
\`WORKER_CONCURRENCY\`; default: one per core); \`--stop-after N\`: stop once N runs have finished (the
rest wait for the next invocation); \`--table-only\`: only rewrite this file and the plots.

**Resume.** Every finished run writes \`bench/results/weighting/<profile>/<row>-seed<k>.json\` (metrics on the
validation and test splits, final weights, log-variances, sigmas and s − s* where reported, curves every
N steps, wall time, the full training spec and its hash). Commit them: a later invocation, on this machine
or on a fresh clone, hands every run whose file matches the plan's spec hash to the study as already done
(it gets no job) and trains the rest (a file of another spec, e.g. after a default changed, is run again).
Ctrl-C (or \`--stop-after\`) stops the worker: its runs in progress checkpoint and go back to the queue, and
Redis keeps the study under \`.artifacts/bench-weighting/\`, so the same command continues that study on this
machine, those runs from their checkpoints. The tables below are always rebuilt from the result files
there, partial or not.

How to read the tables: every metric is on the **test** split, mean ± sample standard deviation over the
seeds done. mIoU as cityscapesScripts computes it (over every train class with a defined IoU: present
in the ground truth or predicted, a predicted class absent from the ground truth counting as 0; the
synthetic scenes hold only some of the 19 train classes); "mIoU present" leaves such classes out (the
classes present in the split's ground truth; not in Δm); instance error = mean Euclidean error of the centroid offset in px
over instance pixels; disparity error = mean absolute error in px over valid pixels; PQ on thing classes.
Δm (Maninis et al. 2019) = mean over mIoU, instance error and disparity error of the relative change
against the single-task row of that task, signed so that better is positive (errors negated), computed per
seed against the single-task means, in %. Mean rank = mean over the same three metrics of each multi-task
row's rank (1 = best) among the multi-task rows. "Best fixed" = the fixed-weight row with the highest Δm
on the **validation** split (chosen there, reported on test). Weights are each raw loss's effective
multiplier after the last epoch (uncertainty: exp(−s) for segmentation, exp(−s)/2 for the regressions;
positive form 1/(2 sigma²)); sigmas = exp(s/2); s − s* where the trainer reports it.
The fixed grid is segmentation 1, instances {0.1, 0.3, 0.9} x depth {0.4, 1.2, 3.6}: a factor-3 log grid
around the weight ratios the learned strategies ended at in the earlier single-seed bench (instances /
segmentation 0.27–0.47, depth / segmentation 0.57–1.83), extended towards the instance ratio of
uncertainty's optimum 1/(2L) as the losses fall (~0.1). The earlier single-seed table (validation split,
one seed) is in this file's git history.
`;

const PAPER = `Paper (Tiny CityScapes 128x256, for orientation; different data, network and schedule): single tasks 59.4 / 4.61 /
0.640; unweighted sum 50.1 / 3.79 / 0.592; approx. optimal fixed weights 62.8 / 3.61 / 0.549; uncertainty
63.4 / 3.50 / 0.522.
`;

await main();

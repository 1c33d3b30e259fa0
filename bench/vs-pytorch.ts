/**
 * tfjs-wasm (this project) against the PyTorch port of the same network, timed in ONE run, interleaved
 * step by step, on this machine:
 *
 *   npm run bench:vs-pytorch             # writes bench/results/vs-pytorch.md
 *   npm run bench:vs-pytorch -- --quick  # fewer steps, to try it out (does not write the results file)
 *
 * Each phase (train step at batch 8 for 64x128 and 128x256, inference at batch 1 for 128x256, and a
 * 32x32 batch-2 train step for the fixed cost per step) builds the seeded tfjs network and a batch of
 * synthetic scenes, exports both (bench/reference/export-tfjs.ts), and hands them to every runner: tfjs in
 * this process, the port (bench/reference/scene_net.py) in one long-lived Python process per thread
 * count, and tfjs over 2 replicas (the project's `training.replicas`, src/model/replicas/). Then, round by
 * round, each runner does one step (tfjs, torch 1 thread, torch 2 threads, tfjs 2 replicas), so that slow
 * drifts of the machine hit all of them alike. Every step's wall and CPU time is taken where it runs, and
 * every round's load of the rest of the machine from /proc/stat: medians over all timed rounds and over
 * the quiet rounds (`quietRounds` in bench/reference/step-stats.ts: the quieter half) are reported; the
 * targets are judged on wall time over the quiet rounds.
 * Needs Debian's python3-torch (`/usr/bin/python3`); `npm run bench:reference-check` checks the port.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disposeBatch } from '../src/data/batch.js';
import { selectBackend } from '../src/tf/index.js';
import { BACKWARD_PER_FORWARD, forwardConvFlops } from './reference/conv-flops.js';
import { fixedBatch, networkBundle, projectAdam, referenceModel } from './reference/export-tfjs.js';
import { tfjsMatMulGflops } from './reference/gemm-peak.js';
import { profileKernels } from './reference/kernel-profile.js';
import { cpuSnapshot, phaseLoad } from './reference/machine-load.js';
import type { PhaseSpec, PreparedPhase, StepRunner, StepTiming } from './reference/step-runner.js';
import { quietRounds, summarise } from './reference/step-stats.js';
import { TfjsReplicasRunner } from './reference/tfjs-replicas-runner.js';
import { TfjsRunner } from './reference/tfjs-runner.js';
import { TorchRunner } from './reference/torch-runner.js';
import {
  machineInfo,
  renderReport,
  type BenchResult,
  type PhaseResult,
  type Target,
} from './reference/vs-pytorch-report.js';

const QUICK = process.argv.includes('--quick');
/**
 * Rounds per phase. Why this many: the machine is shared, and the quiet-round median (half the rounds)
 * still wants ~15+ rounds; at these counts the whole run takes ~3 min on a quiet machine. --quick cuts
 * them for trials.
 */
const PHASES: PhaseSpec[] = [
  { name: 'train step 64x128', kind: 'train', batch: 8, inputSize: [64, 128], warmup: 3, steps: 40 },
  { name: 'train step 128x256', kind: 'train', batch: 8, inputSize: [128, 256], warmup: 2, steps: 30 },
  {
    name: 'inference 128x256, batch 1',
    kind: 'infer',
    batch: 1,
    inputSize: [128, 256],
    warmup: 5,
    steps: 81,
  },
  // Almost no arithmetic: what is left is the fixed cost of a step (dispatch, autodiff, Adam's calls).
  { name: 'train step 32x32, batch 2', kind: 'train', batch: 2, inputSize: [32, 32], warmup: 5, steps: 81 },
].map((p) => (QUICK ? { ...p, warmup: 1, steps: 4 } : p)) as PhaseSpec[];
/**
 * The issue's targets: a tfjs runner's median wall time at most `bound` times a torch runner's, judged on
 * the quiet rounds (the CPU-time ratio is reported beside it).
 */
const TARGETS: Target[] = [
  { what: 'single-process tfjs step', phase: PHASES[0]!.name, runner: 'tfjs', versus: 'torch-1', bound: 1.6 },
  { what: 'single-process tfjs step', phase: PHASES[1]!.name, runner: 'tfjs', versus: 'torch-1', bound: 1.6 },
  {
    what: 'both cores (replicas)',
    phase: PHASES[0]!.name,
    runner: 'tfjs-2-replicas',
    versus: 'torch-1',
    bound: 1.2,
    cores: 2,
  },
  {
    what: 'both cores (replicas)',
    phase: PHASES[1]!.name,
    runner: 'tfjs-2-replicas',
    versus: 'torch-1',
    bound: 1.2,
    cores: 2,
  },
  { what: 'tfjs inference', phase: PHASES[2]!.name, runner: 'tfjs', versus: 'torch-1', bound: 1.5 },
];
/** Side of the GEMMs of the one-core peak: 2048^2, as the issue measured tfjs' matMul. */
const GEMM_N = 2048;
/** torch.mm and numpy run the reference BLAS (~3 GFLOP/s): 512^2 keeps that under a second. */
const BLAS_N = 512;
const GEMM_REPS = 3;
/** Profiled tfjs steps per phase, the quickest kept: few, since profiling is slow; 3 skips one busy moment. */
const PROFILE_TRIES = 3;
const RESULTS_FILE = 'bench/results/vs-pytorch.md';

/** Builds, exports and hands one phase to every runner; returns the runners that declined, with why. */
async function preparePhase(spec: PhaseSpec, runners: StepRunner[]) {
  const model = referenceModel(spec.inputSize);
  const batch = fixedBatch(spec.batch, spec.inputSize);
  const bundleDir = await mkdtemp(join(tmpdir(), 'scene-mtl-vs-pytorch-'));
  const adam = projectAdam();
  await networkBundle(model, batch, adam).write(bundleDir);
  adam.dispose();
  const phase: PreparedPhase = { spec, model, batch, bundleDir };
  const declined = new Map<string, string>();
  for (const runner of runners) {
    const reason = await runner.prepare(phase);
    if (reason !== undefined) declined.set(runner.id, reason);
  }
  return { phase, declined };
}

async function runPhase(spec: PhaseSpec, runners: StepRunner[]): Promise<PhaseResult> {
  console.log(`${spec.name}: preparing`);
  const { phase, declined } = await preparePhase(spec, runners);
  const active = runners.filter((r) => !declined.has(r.id));
  const times = new Map<string, StepTiming[]>(active.map((r) => [r.id, []]));
  const others: number[] = [];
  try {
    const pids = runners.flatMap((r) => r.pids());
    const before = cpuSnapshot(pids);
    for (let round = 0; round < spec.warmup + spec.steps; round++) {
      const roundBefore = cpuSnapshot(pids);
      const timed: [string, StepTiming][] = [];
      for (const runner of active) timed.push([runner.id, await runner.step()]);
      if (round < spec.warmup) continue;
      const roundLoad = phaseLoad(roundBefore, cpuSnapshot(pids));
      others.push(roundLoad.otherCoreS / roundLoad.wallS);
      for (const [id, timing] of timed) times.get(id)!.push(timing);
    }
    const load = phaseLoad(before, cpuSnapshot(pids));
    const quiet = quietRounds(others);
    const tfjs = runners.find((r) => r.id === 'tfjs')!;
    const torchProfiles: PhaseResult['torchProfiles'] = {};
    for (const runner of active) {
      if (runner instanceof TorchRunner) torchProfiles[runner.id] = await runner.profile();
    }
    const result: PhaseResult = {
      spec,
      parameters: phase.model.countParams(),
      convFlopsPerStep:
        forwardConvFlops(phase.model) * spec.batch * (spec.kind === 'train' ? 1 + BACKWARD_PER_FORWARD : 1),
      runners: runners.map((runner) => {
        const timed = times.get(runner.id);
        if (timed === undefined)
          return { id: runner.id, label: runner.label, skipped: declined.get(runner.id) };
        return {
          id: runner.id,
          label: runner.label,
          ms: summarise(timed.map((t) => t.ms)),
          quietMs: summarise(timed.filter((_, i) => quiet[i]).map((t) => t.ms)),
          cpuMs: summarise(timed.map((t) => t.cpuMs)),
          cores: summarise(timed.map((t) => t.cpuMs / t.ms)).median,
        };
      }),
      rounds: { others, quiet },
      load,
      tfjsProfile: await profileKernels(() => tfjs.step(), PROFILE_TRIES),
      torchProfiles,
    };
    console.log(`  others: ${summarise(others).median.toFixed(2)} cores (median round)`);
    for (const row of result.runners) {
      console.log(
        `  ${row.label}: ${row.ms ? `${row.ms.median.toFixed(1)} ms (quiet rounds ${row.quietMs!.median.toFixed(1)}, CPU ${row.cpuMs!.median.toFixed(1)})` : row.skipped}`,
      );
    }
    return result;
  } finally {
    for (const runner of runners) await runner.finishPhase();
    disposeBatch(phase.batch);
    phase.model.dispose();
    await rm(phase.bundleDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const backend = await selectBackend('wasm');
  const torch1 = new TorchRunner(1);
  const torch2 = new TorchRunner(2);
  const runners: StepRunner[] = [new TfjsRunner(), torch1, torch2, new TfjsReplicasRunner(2)];
  try {
    const started = new Map<string, Record<string, unknown>>();
    for (const runner of runners) started.set(runner.id, await runner.start());
    console.log('one-core GEMM peaks');
    const pids = runners.flatMap((r) => r.pids());
    const before = cpuSnapshot(pids);
    const gemm = {
      tfjsMatMul: tfjsMatMulGflops(GEMM_N, GEMM_REPS),
      torch1: await torch1.gemm(GEMM_N, BLAS_N, GEMM_REPS),
      torch2: await torch2.gemm(GEMM_N, BLAS_N, GEMM_REPS),
      n: GEMM_N,
      blasN: BLAS_N,
      load: phaseLoad(before, cpuSnapshot(pids)),
    };
    const phases: PhaseResult[] = [];
    for (const spec of PHASES) phases.push(await runPhase(spec, runners));
    const result: BenchResult = {
      date: new Date().toISOString(),
      quick: QUICK,
      machine: machineInfo(),
      backend,
      torch: started.get('torch-1') as unknown as BenchResult['torch'],
      gemm,
      phases,
      targets: TARGETS,
      profileTries: PROFILE_TRIES,
    };
    const report = renderReport(result);
    if (QUICK) console.log(report);
    else {
      await writeFile(RESULTS_FILE, report);
      console.log(`wrote ${RESULTS_FILE}`);
    }
  } finally {
    for (const runner of runners) await runner.close();
  }
}

await main();

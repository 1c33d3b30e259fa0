/**
 * The markdown of bench/results/vs-pytorch.md, from one run of bench/vs-pytorch.ts.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import type { BackendInfo } from '../../src/tf/index.js';
import { groupKernels, kernelTable, type KernelProfile } from './kernel-profile.js';
import type { PhaseLoad } from './machine-load.js';
import type { PhaseSpec, TorchProfile } from './step-runner.js';
import { summarise, type StepSummary } from './step-stats.js';

/**
 * A bound of the issue: `runner`'s median wall time at most `bound` times `versus`' in `phase` (judged on
 * the quiet rounds).
 */
export interface Target {
  what: string;
  phase: string;
  runner: string;
  versus: string;
  bound: number;
  /**
   * Cores the runner is meant to use (2 replicas: 2; default 1). On a quiet machine its wall time is at
   * least its CPU time / `cores`, which is what the CPU-time column estimates from.
   */
  cores?: number;
}

/** One runner's numbers in a phase; `skipped` says why there are none. */
export interface RunnerRow {
  id: string;
  label: string;
  /** Wall time of a step over all timed rounds. */
  ms?: StepSummary;
  /** Wall time of a step over the quiet rounds only (`quietRounds`). */
  quietMs?: StepSummary;
  /** CPU time of the runner's process over a step, all timed rounds. */
  cpuMs?: StepSummary;
  /** Median CPU time / wall time of a step: how many cores it kept busy. */
  cores?: number;
  skipped?: string;
}

export interface PhaseResult {
  spec: PhaseSpec;
  /** Weights of the tfjs network (trainable and moving statistics). */
  parameters: number;
  /** Conv FLOPs of one step of the phase (forward, or forward + backward), whole batch. */
  convFlopsPerStep: number;
  runners: RunnerRow[];
  /** Per timed round: the other processes' cores on average, and whether the round counts as quiet. */
  rounds: { others: number[]; quiet: boolean[] };
  load: PhaseLoad;
  tfjsProfile: KernelProfile;
  /** By torch runner id. */
  torchProfiles: Record<string, TorchProfile>;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  avx512: boolean;
  kernel: string;
  memoryGiB: number;
  node: string;
}

/** What torch_worker.py's hello answers. */
export interface TorchInfo {
  torch: string;
  numpy: string;
  python: string;
  config: string;
  /** Where libblas.so.3 resolves. */
  libblas: string;
}

export interface BenchResult {
  date: string;
  quick: boolean;
  machine: MachineInfo;
  backend: BackendInfo;
  torch: TorchInfo;
  gemm: {
    tfjsMatMul: number;
    torch1: Record<string, number>;
    torch2: Record<string, number>;
    n: number;
    blasN: number;
    load: PhaseLoad;
  };
  phases: PhaseResult[];
  targets: Target[];
  /** Profiled tfjs steps per phase, of which the quickest is shown. */
  profileTries: number;
}

/** Others' average cores above which the results file calls the run noisy: a fifth of a core. */
const NOISY_CORES = 0.2;
/** Rows of the kernel and op tables: the rest of a step is spread thin over many small ones. */
const KERNEL_ROWS = 15;
const TORCH_ROWS = 10;

/** This machine, as the results file names it. */
export function machineInfo(): MachineInfo {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    cores: cpus().length,
    avx512: /\bavx512f\b/.test(cpuinfo),
    kernel: release(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
/** Which of a row's medians: wall time over the quiet rounds (what targets are judged on), all rounds, CPU. */
type Measure = 'quietMs' | 'ms' | 'cpuMs';
const median = (row: RunnerRow | undefined, measure: Measure = 'quietMs') => row?.[measure]?.median;

function ratio(
  phase: PhaseResult,
  runner: string,
  versus: string,
  measure: Measure = 'quietMs',
): number | undefined {
  const a = median(
    phase.runners.find((r) => r.id === runner),
    measure,
  );
  const b = median(
    phase.runners.find((r) => r.id === versus),
    measure,
  );
  return a !== undefined && b !== undefined ? a / b : undefined;
}

/** The quiet rounds' median of the others' cores, and all rounds' median, of a phase. */
function roundLoads(phase: PhaseResult): { quiet: number; all: number; quietRounds: number } {
  const { others, quiet } = phase.rounds;
  const quietOnes = others.filter((_, i) => quiet[i]);
  return {
    quiet: quietOnes.length > 0 ? summarise(quietOnes).median : NaN,
    all: others.length > 0 ? summarise(others).median : NaN,
    quietRounds: quietOnes.length,
  };
}

function torchBuild(config: string): { blas: string; mkldnn: string; capability: string } {
  return {
    blas: /BLAS_INFO=(\w+)/.exec(config)?.[1] ?? 'unknown',
    mkldnn: /MKL-DNN (v[\d.]+)/.exec(config)?.[1] ?? (/USE_MKLDNN=ON/.test(config) ? 'on' : 'off'),
    capability: /CPU capability usage: (\w+)/.exec(config)?.[1] ?? 'unknown',
  };
}

/** Which implementation Debian's alternatives chose, from the directory of the library. */
function blasName(path: string): string {
  if (path.includes('/openblas')) return 'OpenBLAS';
  if (path.includes('/blis')) return 'BLIS';
  if (path.includes('/atlas')) return 'ATLAS';
  return path.includes('/blas/') ? "Debian's reference BLAS, package libblas3" : 'unknown BLAS';
}

function header(r: BenchResult): string {
  const { machine: m, backend: b, torch: t } = r;
  const build = torchBuild(t.config);
  const wasm = b.wasm
    ? ` (SIMD ${b.wasm.simd ? 'on' : 'off'}, ${b.wasm.threads} thread, ${b.wasm.convGradients} conv gradients)`
    : '';
  const noisiest = Math.max(...r.phases.map((p) => p.load.otherCoreS / p.load.wallS));
  const quietest = Math.max(...r.phases.map((p) => roundLoads(p).quiet));
  const noise =
    noisiest > NOISY_CORES
      ? `**Shared machine**: other processes kept up to ${fixed(noisiest, 2)} of the ${m.cores} cores busy on average ` +
        `during a phase, and up to ${fixed(quietest, 2)} in the median quiet round (see "Load of the rest of the ` +
        'machine"). A busy round costs every runner in it wall time (the "cores" column), PyTorch on 2 threads ' +
        'and the 2 replicas most, since each of their parallel steps waits for both. Hence the quiet-round ' +
        'medians (the rule below) and the CPU times beside the wall times.'
      : `The rest of the machine stayed below ${NOISY_CORES} cores on average in every phase.`;
  const rounds = r.phases.map((p) => `${p.spec.name}: ${p.spec.warmup} + ${p.spec.steps}`).join('; ');
  return `# tfjs-wasm against PyTorch: the same network, one interleaved run

Command: \`npm run bench:vs-pytorch\` (bench/vs-pytorch.ts), ${r.date.slice(0, 16).replace('T', ' ')} UTC${r.quick ? ' (--quick)' : ''}.
Machine: ${m.cores} x ${m.cpu}${m.avx512 ? ' (AVX-512)' : ''}, Linux ${m.kernel}, ${m.memoryGiB} GiB; Node ${m.node};
tfjs ${b.tfjsVersion}, backend ${b.name}${wasm}; Python ${t.python}, PyTorch ${t.torch} (Debian's python3-torch,
CPU capability ${build.capability}, oneDNN ${build.mkldnn}, BLAS_INFO=${build.blas}), numpy ${t.numpy}.

${noise}

What runs: the project's network (width 16, all three heads, 19 classes, ${(r.phases[0]?.parameters ?? 0).toLocaleString('en-US')} parameters) in tfjs, and its PyTorch port
(bench/reference/scene_net.py, checked against it by \`npm run bench:reference-check\`) with the same weights
and the same batch of synthetic scenes. A train step is the forward pass in training mode, the three task
losses summed, the backward pass and Adam (the project's defaults, no weight decay): tfjs through the
project's \`trainStep\` with the equal-weights strategy, torch as zero_grad, forward, sum, backward, step,
\`loss.item()\`. Inference is \`model.predict\` / a \`torch.inference_mode\` forward. Every step is timed
where it runs (torch inside its long-lived worker, so the pipe is not counted). Each round runs one step
of every runner in turn: warm-up rounds, then timed ones (${rounds}); ms are median (p25-p75)
and min-max over the timed steps. The 2-replica runner is the project's \`training.replicas\`
(src/model/replicas/: replica 0 in this thread, replica 1 a worker thread, 4 samples each, the gradients
and batch-norm statistics all-reduced through a SharedArrayBuffer, one identical Adam update on both),
\`ReplicaGroup.trainStep\` on the same global batch, timed in the trainer's thread until replica 0 has
applied its update (what the trainer waits for); the runner then waits, untimed, until replica 1 is done
too, so that its last few ms do not share the cores with the next runner's step.

How the numbers are taken on a shared machine:
- **Wall time**, median over the **quiet rounds**: the rounds in which the other processes (all CPU time in
  /proc/stat less this benchmark's processes in /proc/PID/stat, over the round) kept at most the median
  number of cores busy of the phase's rounds, i.e. the quieter half, ties included (\`quietRounds\` in
  bench/reference/step-stats.ts). The wall median over all rounds is given too. **The issue's targets are
  judged on the quiet-round wall times.**
- **CPU time** per step, median over all rounds: process-wide user + system time of the runner's process
  over its step (tfjs: \`process.cpuUsage()\`, which counts every thread, so the replica thread too;
  torch: \`time.process_time()\` in its worker, both its threads). It is the work a step costs and moves
  far less with the machine's load than wall time does. On a quiet machine a 1-thread runner's wall time
  is about its CPU time, and a runner on 2 cores takes at least its CPU time / 2: the "quiet-machine
  estimate" of the targets table is that ratio (a lower bound for the 2-replica row, which also waits for
  the slower replica and for the all-reduce).

Torch as installed: BLAS_INFO=${build.blas} means torch.mm, numpy and any BLAS call go to
\`libblas.so.3\`, which on this machine is \`${t.libblas}\` (${blasName(t.libblas)}; ${fixed(r.gemm.torch1.torch_mm!)} GFLOP/s
on one thread, see the GEMM table).
Convolutions run on oneDNN, except 1x1 convolutions with a batch under 16 on one thread: torch 1.13 sends
those to its own im2col + GEMM path ("for 1x1 filters, MKLDNN is faster than THNN when multi-threaded, but
THNN is faster when single-threaded"), i.e. here to that BLAS. So the "1 thread" column runs the
network's 1x1 convs (ASPP, projections, skips, predictions) on it and the "2 threads"
column on oneDNN (counted by torch.profiler in each phase below). Torch is reported as installed, not rebuilt.
`;
}

function resultsTable(r: BenchResult, peak: number): string {
  const torchIds = ['torch-1', 'torch-2'];
  const lines = r.phases.flatMap((phase) =>
    phase.runners.map((row) => {
      if (row.ms === undefined || row.quietMs === undefined || row.cpuMs === undefined) {
        return `| ${phase.spec.name} | ${row.label} | not measured: ${row.skipped ?? 'not run'} | | | | | | | | | | |`;
      }
      const gflops = phase.convFlopsPerStep / row.quietMs.median / 1e6;
      const tfjs = !row.id.startsWith('torch');
      const ratios = [
        ...torchIds.map((id) => (tfjs ? ratio(phase, row.id, id) : undefined)),
        tfjs ? ratio(phase, row.id, 'torch-1', 'cpuMs') : undefined,
      ].map((x) => (x === undefined ? '' : `${fixed(x, 2)}x`));
      return (
        `| ${phase.spec.name} | ${row.label} | **${fixed(row.quietMs.median)}** | ${fixed(row.ms.median)} | ` +
        `${fixed(row.ms.p25)}-${fixed(row.ms.p75)} | ${fixed(row.ms.min)}-${fixed(row.ms.max)} | ` +
        `${fixed(row.cpuMs.median)} | ${fixed(row.cores ?? 0, 2)} | ${fixed(gflops)} | ` +
        `${fixed((100 * gflops) / peak, 0)}% | ${ratios.join(' | ')} |`
      );
    }),
  );
  return [
    '## Results',
    '',
    'ms per step. "quiet" = median wall time over the quiet rounds; "all" = median, p25-p75 and min-max of the wall',
    'time over all timed rounds; "CPU" = median CPU time of the runner\'s process per step; "cores" = CPU time / wall',
    `time of a step (median); GFLOP/s = the step's conv FLOPs / its quiet median; "of peak" = that against the one-core`,
    `oneDNN GEMM (${fixed(peak)} GFLOP/s, below). Ratios: tfjs / torch, on quiet wall medians, and on CPU-time medians.`,
    '',
    '| work | runner | quiet ms | all ms | p25-p75 | min-max | CPU ms | cores | GFLOP/s | of peak | wall / torch 1 thread | wall / torch 2 threads | CPU / torch 1 thread |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...lines,
  ].join('\n');
}

/** A target's ratio by each measure, the quiet-machine estimate from CPU time, and whether it is met. */
function targetNumbers(r: BenchResult, t: Target) {
  const phase = r.phases.find((p) => p.spec.name === t.phase);
  const wall = phase ? ratio(phase, t.runner, t.versus) : undefined;
  const cpu = phase ? ratio(phase, t.runner, t.versus, 'cpuMs') : undefined;
  return {
    phase,
    wall,
    allRounds: phase ? ratio(phase, t.runner, t.versus, 'ms') : undefined,
    cpu,
    estimate: cpu === undefined ? undefined : cpu / (t.cores ?? 1),
    met: wall !== undefined && wall <= t.bound,
  };
}

function targetsTable(r: BenchResult): string {
  const x = (value: number | undefined) => (value === undefined ? '-' : `${fixed(value, 2)}x`);
  const lines = r.targets.map((t) => {
    const n = targetNumbers(r, t);
    const skipped = n.phase?.runners.find((row) => row.id === t.runner)?.skipped;
    if (n.wall === undefined) {
      return `| ${t.what} | ${t.phase} | ${t.runner} / ${t.versus} | not measured${skipped ? `: ${skipped}` : ''} | | | | <= ${t.bound}x | - | |`;
    }
    const cpuMet = n.estimate! <= t.bound ? 'yes' : 'no';
    return (
      `| ${t.what} | ${t.phase} | ${t.runner} / ${t.versus} | **${x(n.wall)}** | ${x(n.allRounds)} | ${x(n.cpu)} | ` +
      `${x(n.estimate)} | <= ${t.bound}x | ${n.met ? 'yes' : '**no**'} | ${cpuMet} |`
    );
  });
  return [
    '## Targets (issue 12)',
    '',
    'Judged on **wall time over the quiet rounds** (the "met" column). Beside it: wall time over all rounds, the',
    'CPU-time ratio, and what that suggests for a quiet machine (CPU ratio / the cores the runner uses: for the',
    '2-replica rows a lower bound, since a step also waits for the slower replica and the all-reduce).',
    '',
    '| target | work | ratio | wall, quiet rounds | wall, all rounds | CPU time | quiet-machine estimate | bound | met | estimate within bound |',
    '|---|---|---|---:|---:|---:|---:|---:|---|---|',
    ...lines,
  ].join('\n');
}

function gemmTable(r: BenchResult): string {
  const { gemm: g } = r;
  return `## One-core float32 GEMM peak

Best of 3 after one untimed call; 2n^3 FLOPs. oneDNN is what torch's convolutions run on (reached as a 1x1
convolution of an n x n matrix); torch.mm and numpy go through libblas.so.3, so they run at ${g.blasN}^2.

| GEMM | n | 1 thread, GFLOP/s | 2 threads, GFLOP/s |
|---|---:|---:|---:|
| oneDNN (torch.mkldnn_convolution) | ${g.n} | ${fixed(g.torch1.onednn!)} | ${fixed(g.torch2.onednn!)} |
| torch.mm (BLAS_INFO=generic: libblas.so.3) | ${g.blasN} | ${fixed(g.torch1.torch_mm!)} | ${fixed(g.torch2.torch_mm!)} |
| numpy matmul (same libblas.so.3) | ${g.blasN} | ${fixed(g.torch1.numpy!)} | ${fixed(g.torch2.numpy!)} |
| tfjs wasm \`tf.matMul\` (1 thread under Node) | ${g.n} | ${fixed(g.tfjsMatMul)} | - |

During these, other processes used ${fixed(g.load.otherCoreS / g.load.wallS, 2)} cores on average.
`;
}

function loadTable(r: BenchResult): string {
  const lines = r.phases.map((phase) => {
    const { spec, load: l } = phase;
    const rounds = roundLoads(phase);
    return (
      `| ${spec.name} | ${fixed(l.wallS)} | ${fixed(l.busyCoreS)} | ${fixed(l.ownCoreS)} | ${fixed(l.otherCoreS)} | ` +
      `${fixed(l.otherCoreS / l.wallS, 2)} | ${fixed(rounds.all, 2)} | ${rounds.quietRounds} of ${spec.steps} | ` +
      `${fixed(rounds.quiet, 2)} | ${fixed(l.stealCoreS)} | ${fixed(l.load1Before, 2)} -> ${fixed(l.load1After, 2)} |`
    );
  });
  return [
    '## Load of the rest of the machine',
    '',
    'From /proc/stat (all CPUs) and /proc/PID/stat (node, its threads, and the torch workers) before and after the',
    'timed rounds of each phase, and around each timed round; core-seconds, or cores on average. /proc/stat counts',
    'in 10 ms ticks, so a single round of the short phases reads coarsely; their medians are still fair.',
    '',
    '| phase | wall s | all processes | this benchmark | others | others, cores on average | others, median round | quiet rounds | others, median quiet round | stolen | load average (1 min) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...lines,
  ].join('\n');
}

function convPaths(phase: PhaseResult): string {
  return Object.entries(phase.torchProfiles)
    .map(([id, t]) => `${id}: ${t.conv_paths.onednn} on oneDNN, ${t.conv_paths.blas} on im2col + BLAS`)
    .join('; ');
}

/** Conv and conv-gradient kernel time of a profiled step. */
function convMs(groups: Record<string, number>): number {
  return (groups.conv ?? 0) + (groups['conv grads'] ?? 0);
}

function madeOf(phase: PhaseResult, r: BenchResult): string {
  const p = phase.tfjsProfile;
  const t = phase.torchProfiles['torch-1']!;
  const groups = groupKernels(p);
  // tf.profile times by the clock: on a busy machine each part is inflated by about wall / CPU time.
  const onCpu = Math.min(1, p.cpuMs / p.wallMs);
  const families = Object.entries(groups).map(
    ([group, ms]) =>
      `| ${group} | ${fixed(ms)} | ${fixed(ms * onCpu)} | ${fixed((100 * ms) / p.wallMs, 0)}% |`,
  );
  const outside = p.wallMs - p.kernelMs;
  const torchRows = t.rows
    .slice(0, TORCH_ROWS)
    .map(
      (row) => `| ${row.op} | ${fixed(row.ms)} | ${row.calls} | ${fixed((100 * row.ms) / t.total_ms, 0)}% |`,
    );
  return `### ${phase.spec.name}

tfjs, 1 process, one profiled step (tf.profile after the timed rounds, the quickest of ${r.profileTries}): ${fixed(p.wallMs)} ms wall (profiling
included; the quiet median step is ${fixed(median(phase.runners.find((row) => row.id === 'tfjs')) ?? NaN)} ms), ${fixed(p.kernelMs)} ms in kernels, ${fixed(p.cpuMs)} ms of CPU
time. By kernel family; "on CPU" scales the clock times by CPU / wall time of the profiled step (what they
would be without the other processes' load, roughly):

| family | ms | ms on CPU | share of the profiled step |
|---|---:|---:|---:|
${families.join('\n')}
| outside kernels (op dispatch, autodiff bookkeeping, JS) | ${fixed(outside)} | ${fixed(outside * onCpu)} | ${fixed((100 * outside) / p.wallMs, 0)}% |

The conv and conv-gradient kernels run at ${fixed(phase.convFlopsPerStep / convMs(groups) / 1e6)} GFLOP/s (tfjs' own matMul: ${fixed(r.gemm.tfjsMatMul)}).

${kernelTable(p, KERNEL_ROWS)}

PyTorch, 1 thread, one profiled step (torch.profiler, self CPU time, ${fixed(t.total_ms)} ms in all). Its forward
convolutions ran as ${convPaths(phase)}.

| op | ms | calls | share |
|---|---:|---:|---:|
${torchRows.join('\n')}
`;
}

/** The fixed cost per step, from the 32x32 batch-2 phase (almost no arithmetic). */
function fixedCost(r: BenchResult): string {
  const phase = r.phases.find((p) => p.spec.name.includes('32x32'));
  if (phase === undefined) return '';
  const ms = (id: string) => median(phase.runners.find((row) => row.id === id));
  const cpu = (id: string) =>
    median(
      phase.runners.find((row) => row.id === id),
      'cpuMs',
    );
  const p = phase.tfjsProfile;
  const groups = groupKernels(p);
  const calls = p.rows.reduce((sum, row) => sum + row.calls, 0);
  const adam = p.rows.find((row) => row.kernel === 'AdamUpdate');
  return `## The fixed cost per step (${phase.spec.name})

A step with almost no arithmetic: quiet-round medians tfjs ${fixed(ms('tfjs') ?? NaN)} ms (CPU ${fixed(cpu('tfjs') ?? NaN)}),
PyTorch 1 thread ${fixed(ms('torch-1') ?? NaN)} ms (CPU ${fixed(cpu('torch-1') ?? NaN)}), tfjs 2 replicas ${fixed(ms('tfjs-2-replicas') ?? NaN)} ms
(CPU ${fixed(cpu('tfjs-2-replicas') ?? NaN)}). The profiled tfjs step: ${calls} kernel calls, ${fixed(p.kernelMs)} ms in kernels, ${fixed(p.wallMs - p.kernelMs)} ms outside them
(dispatch and autodiff); Adam ${adam ? `${adam.calls} calls, ${fixed(adam.ms)} ms` : 'not a kernel of its own'}; data movement ${fixed(groups['data movement'] ?? 0)} ms.
Every step of the larger phases pays about this much on top of its arithmetic, and each replica pays it.
`;
}

function whatIsLeft(r: BenchResult): string {
  // Missed on wall time (judged), or met there but not by the CPU-time estimate of a quiet machine.
  const missed = r.targets.filter((t) => {
    const n = targetNumbers(r, t);
    return !n.met || (n.estimate !== undefined && n.estimate > t.bound);
  });
  if (missed.length === 0)
    return '## What is left\n\nEvery target is met in this run, by wall and by CPU time.\n';
  const lines = missed.map((t) => {
    const n = targetNumbers(r, t);
    const phase = n.phase!;
    const goal = median(phase.runners.find((row) => row.id === t.versus))! * t.bound;
    const now = median(phase.runners.find((row) => row.id === t.runner));
    if (now === undefined)
      return `- ${t.what}, ${t.phase}: not measured; it needs a step of at most ${fixed(goal)} ms.`;
    const p = phase.tfjsProfile;
    const groups = groupKernels(p);
    // The profiled step's parts, scaled to the 1-process step's median CPU time: the work, without the
    // other processes' load (profiling inflates every part alike).
    const tfjsCpu = median(
      phase.runners.find((row) => row.id === 'tfjs'),
      'cpuMs',
    );
    const scale = (tfjsCpu ?? p.cpuMs) / p.wallMs;
    const conv = convMs(groups) * scale;
    const rest = Object.entries(groups)
      .filter(([group]) => group !== 'conv' && group !== 'conv grads')
      .sort((a, b) => b[1] - a[1])
      .map(([group, ms]) => `${group} ~${fixed(ms * scale, 0)}`)
      .join(', ');
    const cores = t.cores ?? 1;
    const cpuNow = median(
      phase.runners.find((row) => row.id === t.runner),
      'cpuMs',
    );
    const cpuGoal =
      (median(
        phase.runners.find((row) => row.id === t.versus),
        'cpuMs',
      ) ?? NaN) *
      t.bound *
      cores;
    const cpuLeft =
      cpuNow === undefined
        ? ''
        : ` In CPU time (the quiet-machine view) it is ${fixed(cpuNow)} ms against at most ${fixed(cpuGoal)} ms` +
          `${cores > 1 ? ` (${t.bound}x PyTorch's CPU time, times ${cores} cores)` : ''}: ` +
          (cpuNow <= cpuGoal
            ? 'within it.'
            : `${fixed(cpuNow - cpuGoal)} ms (${fixed((100 * (cpuNow - cpuGoal)) / cpuNow, 0)}%) to go.`);
    const perReplica =
      cores > 1
        ? ', which each replica runs on half the batch (its parts halve at most, the fixed cost not at all)'
        : '';
    return (
      `- ${t.what}, ${t.phase}: wall ${fixed(now)} ms now, at most ${fixed(goal)} ms needed: ` +
      (now <= goal
        ? 'met on wall time.'
        : `${fixed(now - goal)} ms (${fixed((100 * (now - goal)) / now, 0)}%) to go.`) +
      `${cpuLeft} ` +
      `The 1-process step at this size${perReplica}, in ms of its median CPU time: conv + conv grads ~${fixed(conv, 0)}, ` +
      `${rest}, outside kernels ~${fixed((p.wallMs - p.kernelMs) * scale, 0)}.`
    );
  });
  return `## What is left

${lines.join('\n')}

The conv and conv-gradient kernels are most of every training step; their GFLOP/s in each profile,
against the one-core oneDNN GEMM peak above, say how much is left in them. The other families and the
fixed cost (the 32x32 phase) are the rest of a step, and for the 2-replica rows also the wait for the
slower replica and the all-reduce (bench/results/replicas.md).
`;
}

/** The whole results file. */
export function renderReport(r: BenchResult): string {
  const peak = r.gemm.torch1.onednn!;
  return [
    header(r),
    resultsTable(r, peak),
    targetsTable(r),
    gemmTable(r),
    loadTable(r),
    '## What a step is made of now\n',
    ...r.phases.map((phase) => madeOf(phase, r)),
    fixedCost(r),
    whatIsLeft(r),
  ].join('\n\n');
}

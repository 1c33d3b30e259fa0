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
import type { StepSummary } from './step-stats.js';

/** A bound of the issue: `runner`'s median at most `bound` times `versus`' in `phase`. */
export interface Target {
  what: string;
  phase: string;
  runner: string;
  versus: string;
  bound: number;
}

/** One runner's numbers in a phase; `skipped` says why there are none. */
export interface RunnerRow {
  id: string;
  label: string;
  ms?: StepSummary;
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
const median = (row: RunnerRow | undefined) => row?.ms?.median;

function ratio(phase: PhaseResult, runner: string, versus: string): number | undefined {
  const a = median(phase.runners.find((r) => r.id === runner));
  const b = median(phase.runners.find((r) => r.id === versus));
  return a !== undefined && b !== undefined ? a / b : undefined;
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
  const noise =
    noisiest > NOISY_CORES
      ? `**Noisy machine**: other processes kept up to ${fixed(noisiest, 2)} of the ${m.cores} cores busy on average ` +
        'during a phase (see "Load of the rest of the machine"). Every runner lost CPU to them (the "cores" ' +
        'column), PyTorch on 2 threads most of all, since each of its parallel regions waits for both ' +
        'threads; the numbers are to be rerun on a quiet machine.'
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
and min-max over the timed steps.

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
      if (row.ms === undefined) {
        return `| ${phase.spec.name} | ${row.label} | not measured: ${row.skipped ?? 'not run'} | | | | | | | |`;
      }
      const gflops = phase.convFlopsPerStep / row.ms.median / 1e6;
      const ratios = torchIds.map((id) => {
        const x = row.id.startsWith('torch') ? undefined : ratio(phase, row.id, id);
        return x === undefined ? '' : `${fixed(x, 2)}x`;
      });
      return (
        `| ${phase.spec.name} | ${row.label} | **${fixed(row.ms.median)}** | ${fixed(row.ms.p25)}-${fixed(row.ms.p75)} | ` +
        `${fixed(row.ms.min)}-${fixed(row.ms.max)} | ${fixed(row.cores ?? 0, 2)} | ${fixed(gflops)} | ` +
        `${fixed((100 * gflops) / peak, 0)}% | ${ratios.join(' | ')} |`
      );
    }),
  );
  return [
    '## Results',
    '',
    `ms per step; "cores" = CPU time / wall time of a step; GFLOP/s = the step's conv FLOPs / its median time;`,
    `"of peak" = that against the one-core oneDNN GEMM (${fixed(peak)} GFLOP/s, below); ratios = tfjs median / torch median.`,
    '',
    '| work | runner | median ms | p25-p75 | min-max | cores | GFLOP/s | of peak | tfjs / torch 1 thread | tfjs / torch 2 threads |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...lines,
  ].join('\n');
}

function targetsTable(r: BenchResult): string {
  const lines = r.targets.map((t) => {
    const phase = r.phases.find((p) => p.spec.name === t.phase);
    const x = phase ? ratio(phase, t.runner, t.versus) : undefined;
    const skipped = phase?.runners.find((row) => row.id === t.runner)?.skipped;
    const measured = x === undefined ? `not measured${skipped ? `: ${skipped}` : ''}` : `${fixed(x, 2)}x`;
    const met = x === undefined ? '-' : x <= t.bound ? 'yes' : '**no**';
    return `| ${t.what} | ${t.phase} | ${t.runner} / ${t.versus} | ${measured} | <= ${t.bound}x | ${met} |`;
  });
  return [
    '## Targets (issue 12)',
    '',
    '| target | work | ratio | measured | bound | met |',
    '|---|---|---|---:|---:|---|',
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
  const lines = r.phases.map(
    ({ spec, load: l }) =>
      `| ${spec.name} | ${fixed(l.wallS)} | ${fixed(l.busyCoreS)} | ${fixed(l.ownCoreS)} | ${fixed(l.otherCoreS)} | ` +
      `${fixed(l.otherCoreS / l.wallS, 2)} | ${fixed(l.stealCoreS)} | ${fixed(l.load1Before, 2)} -> ${fixed(l.load1After, 2)} |`,
  );
  return [
    '## Load of the rest of the machine',
    '',
    'From /proc/stat (all CPUs) and /proc/PID/stat (node and the torch workers) before and after the timed rounds',
    'of each phase; core-seconds.',
    '',
    '| phase | wall s | all processes | this benchmark | others | others, cores on average | stolen | load average (1 min) |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...lines,
  ].join('\n');
}

function convPaths(phase: PhaseResult): string {
  return Object.entries(phase.torchProfiles)
    .map(([id, t]) => `${id}: ${t.conv_paths.onednn} on oneDNN, ${t.conv_paths.blas} on im2col + BLAS`)
    .join('; ');
}

function madeOf(phase: PhaseResult, r: BenchResult): string {
  const p = phase.tfjsProfile;
  const t = phase.torchProfiles['torch-1']!;
  const groups = groupKernels(p);
  const conv = groups.convolution ?? 0;
  const parts = Object.entries(groups)
    .map(([group, ms]) => `${group} ${fixed(ms)} ms (${fixed((100 * ms) / p.kernelMs, 0)}%)`)
    .join(', ');
  const torchRows = t.rows
    .slice(0, TORCH_ROWS)
    .map(
      (row) => `| ${row.op} | ${fixed(row.ms)} | ${row.calls} | ${fixed((100 * row.ms) / t.total_ms, 0)}% |`,
    );
  return `### ${phase.spec.name}

tfjs, one profiled step (tf.profile): ${fixed(p.wallMs)} ms wall, ${fixed(p.kernelMs)} ms in kernels: ${parts}.
The convolution kernels run at ${fixed(phase.convFlopsPerStep / conv / 1e6)} GFLOP/s (tfjs' own matMul: ${fixed(r.gemm.tfjsMatMul)}).
Outside kernels (op dispatch, autodiff bookkeeping, JS): ${fixed(p.wallMs - p.kernelMs)} ms.

${kernelTable(p, KERNEL_ROWS)}

PyTorch, 1 thread, one profiled step (torch.profiler, self CPU time, ${fixed(t.total_ms)} ms in all). Its forward
convolutions ran as ${convPaths(phase)}.

| op | ms | calls | share |
|---|---:|---:|---:|
${torchRows.join('\n')}
`;
}

function whatIsLeft(r: BenchResult): string {
  const missed = r.targets.filter((t) => {
    const phase = r.phases.find((p) => p.spec.name === t.phase);
    const x = phase ? ratio(phase, t.runner, t.versus) : undefined;
    return x === undefined || x > t.bound;
  });
  if (missed.length === 0) return '## What is left\n\nEvery target is met in this run.\n';
  const lines = missed.map((t) => {
    const phase = r.phases.find((p) => p.spec.name === t.phase)!;
    const goal = median(phase.runners.find((row) => row.id === t.versus))! * t.bound;
    const now = median(phase.runners.find((row) => row.id === t.runner));
    return now === undefined
      ? `- ${t.what}, ${t.phase}: not measured yet; it needs a step of at most ${fixed(goal)} ms.`
      : `- ${t.what}, ${t.phase}: ${fixed(now)} ms now, at most ${fixed(goal)} ms needed: ${fixed(now - goal)} ms to go.`;
  });
  return `## What is left

${lines.join('\n')}

Where the time goes is in the profiles above. By kernel group: "other" holds batch norm's moments and
gradient sums, the softmax cross-entropy, the losses' masks and Adam's elementwise updates (issue 12 items
2, 3 and 4: fused batch norm, fused cross-entropy, one Adam kernel per variable); "data movement" holds
Identity copies and concat/split (item 4: a zero-copy Identity); the time outside kernels is the fixed
dispatch and autodiff cost per step (item 4); the second core is item 5 (replicas; the row above fills in
when \`training.replicas\` exists).
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
    whatIsLeft(r),
  ].join('\n\n');
}

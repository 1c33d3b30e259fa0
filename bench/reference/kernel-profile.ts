/**
 * Where a tfjs step's time goes, by kernel (tf.profile), as a markdown table.
 *
 * @packageDocumentation
 */
import type { TensorContainer } from '@tensorflow/tfjs';
import { tf } from '../../src/tf/index.js';

/** One kernel's total over the profiled step. */
export interface KernelRow {
  kernel: string;
  ms: number;
  calls: number;
}

/** A profiled step. */
export interface KernelProfile {
  /** By time, largest first. */
  rows: KernelRow[];
  /** Sum of all kernels' times. */
  kernelMs: number;
  /** Wall time of the profiled step (profiling included). */
  wallMs: number;
  /**
   * CPU time of this process over the profiled step. Below `wallMs` when other processes held the core:
   * tf.profile times kernels by the clock, so every part of the step is inflated by about wallMs / cpuMs.
   */
  cpuMs: number;
}

/**
 * Kernels by what they do, for the "what a step is made of" summary: the families issue 12 names. Every
 * kernel not listed (elementwise ops, reductions, resizes, the L1 losses, ...) is `other`.
 */
export const KERNEL_GROUPS: Record<string, readonly string[]> = {
  conv: ['FusedConv2D', 'Conv2D'],
  'conv grads': ['Conv2DBackpropInput', 'Conv2DBackpropFilter'],
  'batch norm': [
    'FusedBatchNormTraining',
    'FusedBatchNormTrainingGrad',
    'FusedBatchNorm',
    'Moments',
    'SquaredDifference',
  ],
  'cross-entropy': [
    'MaskedSoftmaxCrossEntropy',
    'MaskedSoftmaxCrossEntropyGrad',
    'Softmax',
    'LogSoftmax',
    'Exp',
    'Log',
  ],
  'data movement': [
    'Identity',
    'Transpose',
    'Concat',
    'Slice',
    'SplitV',
    'Reshape',
    'Tile',
    'Pad',
    'Unpack',
    'Pack',
    'Cast',
  ],
  Adam: ['AdamUpdate'],
};

/**
 * Profiles `tries` calls of `step` one by one and keeps the quickest (least wall time): on a shared
 * machine a single profiled step may have lost the CPU to other processes, which inflates every kernel.
 */
export async function profileKernels(step: () => Promise<unknown>, tries = 1): Promise<KernelProfile> {
  let best: KernelProfile | undefined;
  for (let i = 0; i < tries; i++) {
    const profile = await profileOnce(step);
    if (best === undefined || profile.wallMs < best.wallMs) best = profile;
  }
  return best!;
}

async function profileOnce(step: () => Promise<unknown>): Promise<KernelProfile> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const info = await tf.profile(async () => {
    await step();
    return [] as TensorContainer;
  });
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const byKernel = new Map<string, KernelRow>();
  // Entries named `<op>__op` wrap kernels that are listed too: counting them would count those twice.
  for (const kernel of info.kernels.filter((k) => !k.name.endsWith('__op'))) {
    const row = byKernel.get(kernel.name) ?? { kernel: kernel.name, ms: 0, calls: 0 };
    row.ms += Number(await kernel.kernelTimeMs) || 0;
    row.calls++;
    byKernel.set(kernel.name, row);
  }
  const rows = [...byKernel.values()].sort((a, b) => b.ms - a.ms);
  return { rows, kernelMs: rows.reduce((sum, row) => sum + row.ms, 0), wallMs, cpuMs };
}

/** Milliseconds of the profile's kernels in each {@link KERNEL_GROUPS} group, and the rest as `other`. */
export function groupKernels(profile: KernelProfile): Record<string, number> {
  const groups: Record<string, number> = Object.fromEntries(Object.keys(KERNEL_GROUPS).map((g) => [g, 0]));
  groups.other = 0;
  for (const row of profile.rows) {
    const group = Object.keys(KERNEL_GROUPS).find((g) => KERNEL_GROUPS[g]!.includes(row.kernel)) ?? 'other';
    groups[group]! += row.ms;
  }
  return groups;
}

/** The `top` costliest kernels as a markdown table (kernel, ms, calls, share), the rest in one row. */
export function kernelTable(profile: KernelProfile, top: number): string {
  const share = (ms: number) => `${((100 * ms) / profile.kernelMs).toFixed(0)}%`;
  const lines = profile.rows
    .slice(0, top)
    .map((r) => `| ${r.kernel} | ${r.ms.toFixed(1)} | ${r.calls} | ${share(r.ms)} |`);
  const rest = profile.rows.slice(top);
  if (rest.length > 0) {
    const ms = rest.reduce((sum, r) => sum + r.ms, 0);
    const calls = rest.reduce((sum, r) => sum + r.calls, 0);
    lines.push(`| ${rest.length} other kernels | ${ms.toFixed(1)} | ${calls} | ${share(ms)} |`);
  }
  return ['| kernel | ms | calls | share |', '|---|---:|---:|---:|', ...lines].join('\n');
}

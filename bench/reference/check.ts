/**
 * Checks the PyTorch port (bench/reference/scene_net.py) against the tfjs network:
 *
 *   npm run bench:reference-check
 *
 * For 64x128 and 128x256 at batch 8 it exports the tfjs network's weights, a fixed batch and the
 * reference numbers of one step (bench/reference/export-tfjs.ts), then runs bench/reference/check.py on
 * them, which fails unless parameter counts are equal and outputs, losses, gradients, moving statistics,
 * inference outputs and Adam updates agree to 1e-4 relative (check.py says how ReLU decisions, L1 signs and
 * tfjs' float32 sums are dealt with). Exits 1 when any size fails. Needs Debian's python3-torch.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '../../src/tf/index.js';
import { referenceBundle } from './export-tfjs.js';
import { REFERENCE_PYTHON } from './torch-process.js';

/** The sizes of the comparison. */
const SIZES: [number, number][] = [
  [64, 128],
  [128, 256],
];
/** Batch of the comparison's training steps. */
const BATCH = 8;
/** The bound: max |torch - tfjs| / max |tfjs| per tensor. */
const TOLERANCE = 1e-4;

async function main(): Promise<number> {
  const backend = await selectBackend('wasm');
  console.log(`tfjs ${backend.tfjsVersion}, backend ${backend.name} (${backend.reason})`);
  let failed = 0;
  for (const size of SIZES) {
    const directory = await mkdtemp(join(tmpdir(), 'scene-mtl-reference-'));
    try {
      await referenceBundle(size, BATCH).write(directory);
      const check = spawnSync(
        REFERENCE_PYTHON,
        ['-B', 'bench/reference/check.py', directory, '--tolerance', String(TOLERANCE)],
        { stdio: 'inherit' },
      );
      if (check.status !== 0) failed++;
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }
  console.log(failed === 0 ? 'reference check passed' : `reference check FAILED at ${failed} size(s)`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();

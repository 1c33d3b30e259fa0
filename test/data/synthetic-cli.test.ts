import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { synthesize } from '../../src/cli/synthesize.js';

/** Runs the command in this process, collecting what it writes. */
async function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await synthesize(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { status, stdout, stderr };
}

/** Runs `src/cli/synthesize.ts` as its own process through tsx, as `npm run data:synth` does. */
function spawnSynthesize(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/synthesize.ts', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('synthesize (npm run data:synth)', () => {
  let root: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'scene-mtl-synth-cli-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes a dataset and reports it', async () => {
    const out = join(root, 'ok');
    const result = await run([
      '--out',
      out,
      '--scenes',
      '2',
      '--size',
      '16x32',
      '--seed',
      '3',
      '--split',
      'val',
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^wrote 2 scenes \(10 files, 16x32, seed 3, split val\) to /);
    assert.deepEqual((await readdir(out)).sort(), ['camera', 'disparity', 'gtFine', 'leftImg8bit']);
    assert.deepEqual(await readdir(join(out, 'gtFine')), ['val']);
  });

  it('prints the usage and returns status 2 on bad arguments', async () => {
    for (const args of [
      ['--scenes', 'many'],
      ['--scenes', '0'],
      ['--size', '64'],
      ['--size', '64x99999'],
      ['--split', 'holdout'],
      ['--seed=-3'],
      ['--seed', '4294967296'],
      ['--seed'],
      ['--frobnicate'],
      ['stray'],
    ]) {
      const result = await run(['--out', join(root, 'bad'), ...args]);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(
        result.stderr,
        /^synthesize: [^\n]+(\n[^\n]+)*\n\nUsage: npm run data:synth/,
        args.join(' '),
      );
      assert.equal(result.stdout, '');
    }
    await assert.rejects(readdir(join(root, 'bad')), { code: 'ENOENT' });
  });

  it('prints the usage with --help', async () => {
    const result = await run(['--help']);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^Usage: npm run data:synth/);
  });

  it('as a process: exits with status 2 and no stack trace on a bad argument, 0 after writing', async () => {
    const bad = spawnSynthesize(['--size', 'big']);
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /^synthesize: --size must be HEIGHTxWIDTH/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
    const out = join(root, 'process');
    const good = spawnSynthesize(['--out', out, '--scenes', '1', '--size', '8x16', '--quiet']);
    assert.equal(good.status, 0, good.stderr);
    assert.equal(good.stdout, '');
    assert.deepEqual(await readdir(join(out, 'leftImg8bit')), ['train']);
  });
});

/**
 * Writes a synthetic dataset in the CityScapes layout.
 *
 * Usage: `npm run data:synth -- --out DIR --scenes N --size HxW --seed S --split train|val|test`
 * (every option has a default; see {@link USAGE}). Bad arguments print the usage to stderr and exit with
 * status 2; a failure while writing prints its message (no stack trace) and exits with status 1.
 *
 * @packageDocumentation
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import { generateDataset, parseSceneSize } from '../data/synthetic/index.js';
import { isEntryPoint } from '../entry-point.js';
import { USAGE_EXIT_CODE, UsageError } from './usage-error.js';

/** Where the command writes: stdout for results and help, stderr for errors and progress. */
export interface CommandOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

/** The help text. */
export const USAGE = `Usage: npm run data:synth -- [options]

Writes procedural street scenes in the CityScapes layout (leftImg8bit/, gtFine/, disparity/, camera/).

Options:
  --out DIR        dataset root (default: $DATA_DIR/synthetic, i.e. ./data/synthetic)
  --scenes N       number of scenes, 1 to 1000000 (default: 100)
  --size HxW       image height x width in pixels, sides up to 2048 (default: 128x256)
  --seed S         dataset seed, 0 to 4294967295 (default: 0); same seed, same bytes
  --split NAME     split directory: train, val or test (default: train)
  --quiet          print nothing but errors
  -h, --help       show this help
`;

/** Splits the CLI accepts. Why only these: they are CityScapes' splits, which readers and tools expect. */
const SPLITS = ['train', 'val', 'test'];

/** Parses a whole-number option. */
function integerOption(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** The options of a run, parsed from `args`. */
function parseOptions(args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        out: { type: 'string' },
        scenes: { type: 'string', default: '100' },
        size: { type: 'string', default: '128x256' },
        seed: { type: 'string', default: '0' },
        split: { type: 'string', default: 'train' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return null;
  let size: { width: number; height: number };
  try {
    size = parseSceneSize(v.size, '--size');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!SPLITS.includes(v.split)) {
    throw new UsageError(`--split must be one of ${SPLITS.join(', ')}, got ${JSON.stringify(v.split)}`);
  }
  return {
    outDir: v.out ?? path.join(loadConfig().DATA_DIR, 'synthetic'),
    scenes: integerOption('scenes', v.scenes, 1, 1_000_000),
    seed: integerOption('seed', v.seed, 0, 0xffffffff),
    split: v.split,
    quiet: v.quiet,
    ...size,
  };
}

/**
 * Runs the command with the arguments after the script name; returns the exit status (0 done, 1 failed while
 * writing, 2 bad arguments). Never throws.
 */
export async function synthesize(args: string[], io: CommandOutput = process): Promise<number> {
  let options;
  try {
    options = parseOptions(args);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`synthesize: ${error.message}\n\n${USAGE}`);
      return USAGE_EXIT_CODE;
    }
    return fail(error, io);
  }
  if (options === null) {
    io.stdout.write(USAGE);
    return 0;
  }
  try {
    const started = performance.now();
    const progress = !options.quiet && io.stderr.isTTY === true;
    const { files } = await generateDataset({
      ...options,
      onScene: progress
        ? (done, total) => io.stderr.write(`\r${done}/${total} scenes${done === total ? '\n' : ''}`)
        : undefined,
    });
    const seconds = (performance.now() - started) / 1000;
    if (!options.quiet) {
      const rate = (options.scenes / seconds).toFixed(1);
      io.stdout.write(
        `wrote ${options.scenes} scenes (${files.length} files, ${options.height}x${options.width}, ` +
          `seed ${options.seed}, split ${options.split}) to ${options.outDir} in ${seconds.toFixed(1)} s ` +
          `(${rate} scenes/s)\n`,
      );
    }
    return 0;
  } catch (error) {
    return fail(error, io);
  }
}

/** Reports a failure (configuration, file system) as one line: a stack helps nobody running a CLI. */
function fail(error: unknown, io: CommandOutput): number {
  const message = error instanceof AppError || error instanceof Error ? error.message : String(error);
  io.stderr.write(`synthesize: ${message}\n`);
  return 1;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await synthesize(process.argv.slice(2));

/**
 * Renders one synthetic scene as four pictures for people (the README's sample): the RGB image, labels in
 * CityScapes' colours, instances, and disparity through a colour map.
 *
 * Usage: `npx tsx src/cli/render-samples.ts [--out docs/images] [--size 256x512] [--seed 13] [--index 0]`
 * writes `synthetic-rgb.png`, `synthetic-labels.png`, `synthetic-instances.png` and
 * `synthetic-disparity.png`. Bad arguments print the usage and exit with status 2.
 *
 * @packageDocumentation
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { encodePng } from '../data/image-codec.js';
import {
  colorizeDisparity,
  colorizeInstances,
  colorizeLabels,
  generateScene,
  parseSceneSize,
} from '../data/synthetic/index.js';
import { USAGE_EXIT_CODE } from './usage-error.js';

/** The help text. */
const USAGE = `Usage: npx tsx src/cli/render-samples.ts [options]

Renders one synthetic scene as RGB, coloured labels, coloured instances and coloured disparity PNGs.

Options:
  --out DIR      output directory (default: docs/images)
  --size HxW     image height x width (default: 256x512)
  --seed S       dataset seed (default: 13)
  --index I      scene index (default: 0)
  -h, --help     show this help
`;

/** Parses a whole number in [0, 2^32 - 1], or returns undefined. */
function uint32(text: string): number | undefined {
  return /^\d+$/.test(text) && Number(text) <= 0xffffffff ? Number(text) : undefined;
}

/** Runs the command; returns the exit status. */
async function main(args: string[]): Promise<number> {
  let options;
  try {
    const { values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        out: { type: 'string', default: 'docs/images' },
        size: { type: 'string', default: '256x512' },
        seed: { type: 'string', default: '13' },
        index: { type: 'string', default: '0' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const seed = uint32(values.seed);
    const index = uint32(values.index);
    if (seed === undefined)
      throw new Error(`--seed must be an integer from 0 to 4294967295, got "${values.seed}"`);
    if (index === undefined)
      throw new Error(`--index must be an integer from 0 to 4294967295, got "${values.index}"`);
    options = { out: values.out, seed, index, ...parseSceneSize(values.size, '--size') };
  } catch (error) {
    process.stderr.write(`render-samples: ${(error as Error).message}\n\n${USAGE}`);
    return USAGE_EXIT_CODE;
  }
  const { width, height } = options;
  const scene = generateScene({ width, height, seed: options.seed, index: options.index });
  const pictures = {
    'synthetic-rgb.png': { width, height, channels: 3, bitDepth: 8, data: scene.rgb } as const,
    'synthetic-labels.png': colorizeLabels(scene.labelIds, width, height),
    'synthetic-instances.png': colorizeInstances(scene.instanceIds, width, height),
    'synthetic-disparity.png': colorizeDisparity(scene.disparity, width, height),
  };
  await mkdir(options.out, { recursive: true });
  for (const [name, image] of Object.entries(pictures)) {
    await writeFile(path.join(options.out, name), await encodePng(image));
  }
  process.stdout.write(
    `wrote ${Object.keys(pictures).join(', ')} to ${options.out} ` +
      `(${scene.city}, ${scene.instances.length} instances)\n`,
  );
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`render-samples: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

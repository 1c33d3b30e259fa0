/**
 * Runs a trained model on one image and writes coloured pictures of its outputs.
 *
 * `npm run predict -- --model DIR --image FILE --out DIR` writes segmentation.png, instances.png,
 * depth.png, overlay.png and prediction.json (classes, instances, depth range). See {@link USAGE}.
 *
 * @packageDocumentation
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeImage, encodePng } from '../data/image-codec.js';
import { loadModelDir } from '../model/artifacts.js';
import {
  colourizeDisparity,
  colourizeInstances,
  colourizeLabels,
  overlay,
} from '../model/postprocess/index.js';
import { Predictor, toRgbFloat } from '../model/predictor.js';
import { selectBackend } from '../tf/index.js';
import { runCli } from './cli-runner.js';
import { UsageError } from './usage-error.js';

const USAGE = `Usage: npm run predict -- --model DIR --image FILE --out DIR [--backend NAME]

Runs the model in DIR (model.json, weights.bin, manifest.json: e.g. $ARTIFACT_DIR/models/ID) on a PNG or
JPEG image of any size and writes segmentation.png, instances.png, depth.png, overlay.png and
prediction.json into the output directory.`;

await runCli(USAGE, async () => {
  const { values } = parseArgs({
    strict: true,
    allowPositionals: false,
    options: {
      model: { type: 'string' },
      image: { type: 'string' },
      out: { type: 'string' },
      backend: { type: 'string', default: process.env['TF_BACKEND'] ?? 'auto' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.model || !values.image || !values.out)
    throw new UsageError('--model, --image and --out are required');
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(values.backend)) {
    throw new UsageError(`--backend must be auto, tensorflow, wasm or cpu, got "${values.backend}"`);
  }
  await selectBackend(values.backend as 'auto');
  const { model, manifest } = await loadModelDir(resolve(values.model));
  const predictor = new Predictor(model, manifest);
  try {
    const image = await decodeImage(resolve(values.image));
    const prediction = predictor.predict(image);
    const { width, height } = prediction;
    const out = resolve(values.out);
    await mkdir(out, { recursive: true });
    const rgbPng = (data: Uint8Array) => encodePng({ width, height, channels: 3, bitDepth: 8, data });
    const rgb = Uint8Array.from(toRgbFloat(image), (v) => Math.round(v));
    const palette = manifest.classes.map((c) => c.color);
    const written: string[] = [];
    if (prediction.segmentation) {
      const colours = colourizeLabels(prediction.segmentation.labels, palette);
      await writeFile(join(out, 'segmentation.png'), await rgbPng(colours));
      await writeFile(join(out, 'overlay.png'), await rgbPng(overlay(rgb, colours, 0.5)));
      written.push('segmentation.png', 'overlay.png');
    }
    if (prediction.instances) {
      await writeFile(
        join(out, 'instances.png'),
        await rgbPng(colourizeInstances(prediction.instances.idMap)),
      );
      written.push('instances.png');
    }
    if (prediction.depth) {
      await writeFile(join(out, 'depth.png'), await rgbPng(colourizeDisparity(prediction.depth.disparity)));
      written.push('depth.png');
    }
    const summary = {
      model: manifest.id,
      width,
      height,
      timings: prediction.timings,
      classes: prediction.segmentation?.classes.filter((c) => c.pixelShare > 0),
      instances: prediction.instances?.instances,
      depth: prediction.depth && { min: prediction.depth.min, max: prediction.depth.max },
    };
    await writeFile(join(out, 'prediction.json'), `${JSON.stringify(summary, null, 2)}\n`);
    written.push('prediction.json');
    console.log(
      `${width}x${height}: ${prediction.instances?.instances.length ?? 0} instances; wrote ${written.join(', ')} to ${out}`,
    );
  } finally {
    predictor.dispose();
  }
});

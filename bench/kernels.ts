/**
 * GFLOP/s of the convolution kernels on the wasm backend at the shapes of the project's network.
 *
 *   npm run bench:kernels            # writes bench/results/kernels.md
 *
 * For each layer shape it times the forward conv (XNNPACK), this project's Conv2DBackpropInput and
 * Conv2DBackpropFilter as registered, each of their two implementations on its own (the SIMD kernels and
 * the XNNPACK formulations), and tfjs 4.22's stock wasm Conv2DBackpropInput (the stock wasm backend has no
 * Conv2DBackpropFilter at all). FLOPs are the nominal 2*N*Ho*Wo*kh*kw*Ci*Co of the forward conv, which the
 * two gradients share.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend, setSimdConvGradientsEnabled, stockWasmKernel, tf } from '../src/tf/index.js';
import {
  SIMD_INPUT_GRADIENT_MAX_CHANNELS,
  SIMD_INPUT_GRADIENT_MAX_PIXELS,
  simdInputGradientFits,
} from '../src/tf/kernels/conv2d-backprop-input.js';
import { convGradientGeometry, simdConvGradients } from '../src/tf/kernels/simd/conv-gradients.js';

/** Batch 8, the batch size the issue asks to measure at. */
const BATCH = 8;
/** Network width used for the shapes below (the `model.width` a CPU user would pick). */
const WIDTH = 16;
/** Repeat each measurement until this much time has passed, so short kernels average over many runs. */
const MIN_SECONDS = 1.5;
/**
 * The time is split into this many blocks and the fastest block's mean is kept: this shared 2-core VM has
 * bursts of lost CPU time that otherwise land in one cell and not its neighbour (seen as 2x swings).
 */
const BLOCKS = 3;

interface LayerShape {
  layer: string;
  /** Input height and width as a fraction of the image size. */
  scale: number;
  inC: number;
  outC: number;
  kernel: number;
  stride: number;
}

/** Convolutions of the planned encoder/decoder (strided stem and stages, context block, decoder, heads). */
const LAYERS: LayerShape[] = [
  { layer: 'stem 3x3/2', scale: 1, inC: 3, outC: WIDTH, kernel: 3, stride: 2 },
  { layer: 'stage2 3x3/2', scale: 1 / 2, inC: WIDTH, outC: 2 * WIDTH, kernel: 3, stride: 2 },
  { layer: 'stage3 3x3/2', scale: 1 / 4, inC: 2 * WIDTH, outC: 4 * WIDTH, kernel: 3, stride: 2 },
  { layer: 'context 3x3/1', scale: 1 / 8, inC: 4 * WIDTH, outC: 4 * WIDTH, kernel: 3, stride: 1 },
  { layer: 'decoder 3x3/1', scale: 1 / 4, inC: 6 * WIDTH, outC: 2 * WIDTH, kernel: 3, stride: 1 },
  { layer: 'head 1x1/1', scale: 1 / 4, inC: 2 * WIDTH, outC: 19, kernel: 1, stride: 1 },
];

/**
 * The input gradient of a wide 3x3 layer on small images, [batch, height, width]: the phase images of the
 * dilated convs (rate 4 at 64x128 gives 2x4 at batch 8, rate 2 4x8) and every layer of a 32x32 batch-2 step.
 */
const SMALL_IMAGES: [number, number, number][] = [
  [2, 2, 2],
  [8, 2, 4],
  [8, 4, 8],
  [8, 8, 16],
  [8, 16, 32],
];

const IMAGE_SIZES: [number, number][] = [
  [64, 128],
  [128, 256],
];

function timeIt(run: () => Tensor): number {
  run().dispose(); // warm-up: XNNPACK operator creation, heap growth
  let best = Infinity;
  for (let block = 0; block < BLOCKS; block++) {
    let runs = 0;
    const start = performance.now();
    while (performance.now() - start < (MIN_SECONDS * 1000) / BLOCKS || runs < 3) {
      // wasm kernels run synchronously: the result is complete when `run` returns (no dataSync, whose
      // copy out of the heap would add the output's size to every cell).
      run().dispose();
      runs++;
    }
    best = Math.min(best, (performance.now() - start) / runs);
  }
  return best;
}

/** Runs a kernel of the active backend by name and wraps its output as a tensor (so it can be disposed). */
function runKernel(name: string, inputs: Record<string, Tensor>, attrs: object): Tensor {
  return tf.engine().runKernel(name, inputs, attrs as never) as Tensor;
}

/**
 * The SIMD input-gradient kernel called directly, whatever the channel count (the registered kernel uses
 * it only for few channels or small images), to show where those thresholds come from.
 */
function simdInputGradient(dy: Tensor4D, filter: Tensor4D, conv: tf.backend_util.Conv2DInfo): Tensor {
  const backend = tf.backend() as BackendWasm;
  const kernels = simdConvGradients(backend);
  if (kernels === undefined) throw new Error('the SIMD conv gradients are not available on this backend');
  const geometry = convGradientGeometry(conv);
  // Allocated as the registered kernel allocates them (uninitialised; the kernel writes all of dx).
  const scratch = backend.makeOutput([kernels.backpropInputScratchFloats(geometry)], 'float32');
  const dx = backend.makeOutput(conv.inShape, 'float32');
  kernels.backpropInput(dy, filter, dx, scratch, geometry);
  backend.disposeData(scratch.dataId);
  return tf.engine().makeTensorFromTensorInfo(dx);
}

/** Times `run` with the SIMD conv gradients switched on or off. */
function timeWithSimd(simd: boolean, run: () => Tensor): number {
  const previous = setSimdConvGradientsEnabled(simd);
  try {
    return timeIt(run);
  } finally {
    setSimdConvGradientsEnabled(previous);
  }
}

async function main(): Promise<void> {
  const info = await selectBackend('wasm');
  const stockInput = stockWasmKernel('Conv2DBackpropInput');
  const rows: string[] = [];
  const shares: { kernel: string; share: number; where: string }[] = [];
  for (const [imageH, imageW] of IMAGE_SIZES) {
    for (const shape of LAYERS) {
      const h = Math.round(imageH * shape.scale);
      const w = Math.round(imageW * shape.scale);
      const inputShape: [number, number, number, number] = [BATCH, h, w, shape.inC];
      const filterShape: [number, number, number, number] = [
        shape.kernel,
        shape.kernel,
        shape.inC,
        shape.outC,
      ];
      const x = tf.randomNormal(inputShape) as Tensor4D;
      const filter = tf.randomNormal(filterShape) as Tensor4D;
      const y = tf.conv2d(x, filter, shape.stride, 'same');
      const dy = tf.randomNormal(y.shape) as Tensor4D;
      const [, outH, outW] = y.shape;
      const conv = tf.backend_util.computeConv2DInfo(inputShape, filterShape, shape.stride, 1, 'same');
      const flops = 2 * BATCH * outH * outW * shape.kernel * shape.kernel * shape.inC * shape.outC;
      const attrs = { strides: shape.stride, pad: 'same', dataFormat: 'NHWC' } as const;
      const inputGrad = () => runKernel('Conv2DBackpropInput', { dy, filter }, { ...attrs, inputShape });
      const filterGrad = () => runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape });

      const forward = timeIt(() => tf.conv2d(x, filter, shape.stride, 'same'));
      const input = timeIt(inputGrad);
      const filterTime = timeIt(filterGrad);
      const inputSimd = timeIt(() => simdInputGradient(dy, filter, conv));
      const inputXnnpack = timeWithSimd(false, inputGrad);
      const filterSimd = timeWithSimd(true, filterGrad);
      const filterXnnpack = timeWithSimd(false, filterGrad);
      const stock = stockInput
        ? timeIt(() =>
            tf.engine().makeTensorFromTensorInfo(
              stockInput.kernelFunc({
                inputs: { dy, filter },
                attrs: { ...attrs, inputShape } as never,
                backend: tf.backend(),
              }) as tf.TensorInfo,
            ),
          )
        : NaN;
      const gflops = (ms: number) => (flops / ms / 1e6).toFixed(1);
      const row = [
        `${imageH}x${imageW}`,
        shape.layer,
        `${BATCH}x${h}x${w}x${shape.inC} -> ${shape.outC}`,
        (flops / 1e9).toFixed(2),
        gflops(forward),
        gflops(input),
        gflops(filterTime),
        `${((100 * forward) / input).toFixed(0)}% / ${((100 * forward) / filterTime).toFixed(0)}%`,
        `${gflops(inputSimd)} / ${gflops(inputXnnpack)}`,
        `${gflops(filterSimd)} / ${gflops(filterXnnpack)}`,
        gflops(stock),
      ];
      rows.push(`| ${row.join(' | ')} |`);
      const where = `${imageH}x${imageW} ${shape.layer}`;
      shares.push({ kernel: 'backprop input', share: forward / input, where });
      shares.push({ kernel: 'backprop filter', share: forward / filterTime, where });
      console.log(rows.at(-1));
      tf.dispose([x, filter, y, dy]);
    }
  }
  const smallRows: string[] = [];
  for (const [batch, h, w] of SMALL_IMAGES) {
    const inputShape: [number, number, number, number] = [batch, h, w, 4 * WIDTH];
    const filterShape: [number, number, number, number] = [3, 3, 4 * WIDTH, 4 * WIDTH];
    const filter = tf.randomNormal(filterShape) as Tensor4D;
    const dy = tf.randomNormal([batch, h, w, 4 * WIDTH]) as Tensor4D;
    const conv = tf.backend_util.computeConv2DInfo(inputShape, filterShape, 1, 1, 'same');
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape } as const;
    const simd = timeIt(() => simdInputGradient(dy, filter, conv));
    const xnnpack = timeWithSimd(false, () => runKernel('Conv2DBackpropInput', { dy, filter }, attrs));
    const pixels = batch * h * w;
    smallRows.push(
      `| ${batch}x${h}x${w}x${4 * WIDTH} -> ${4 * WIDTH} | ${pixels} | ${(1000 * simd).toFixed(0)} | ${(1000 * xnnpack).toFixed(0)} | ${(xnnpack / simd).toFixed(2)}x | ${simdInputGradientFits(4 * WIDTH, pixels) ? 'SIMD' : 'XNNPACK'} |`,
    );
    console.log(smallRows.at(-1));
    tf.dispose([filter, dy]);
  }
  const lowest = (kernel: string) => {
    const worst = shares.filter((s) => s.kernel === kernel).sort((a, b) => a.share - b.share)[0]!;
    return `${kernel} ${(100 * worst.share).toFixed(0)}% (${worst.where})`;
  };
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const load = loadavg()[1]!.toFixed(1);
  const report = `# Convolution kernels on the wasm backend

Command: \`npm run bench:kernels\` (bench/kernels.ts), ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpus().length} x ${cpu}; Node ${process.version}; tfjs ${info.tfjsVersion}; backend ${info.name}
(SIMD ${info.wasm?.simd ? 'on' : 'off'}, ${info.wasm?.threads ?? 1} thread, ${info.wasm?.convGradients} conv gradients).
Load average over the last 5 minutes at the end of the run: ${load} (the machine's other work).

Batch ${BATCH}, network width ${WIDTH}, 'same' padding. GFLOP/s are the nominal forward FLOPs (2·N·Ho·Wo·kh·kw·Ci·Co,
shared by both gradients) divided by the time per run: the fastest of ${BLOCKS} blocks of repeated runs (${MIN_SECONDS} s per cell in all).

- "backprop input" and "backprop filter" are this project's registered kernels, as training runs them, and
  "share of forward" is their speed as a share of the forward conv at the same shape (input / filter).
- The filter gradient always runs the hand-written SIMD kernel (src/tf/kernels/simd/conv-gradients.c). The
  input gradient runs it up to ${SIMD_INPUT_GRADIENT_MAX_CHANNELS} input channels (or ${SIMD_INPUT_GRADIENT_MAX_PIXELS} dy pixels, see the last table) and the sub-pixel
  phases on XNNPACK's forward conv above.
- "SIMD / XNNPACK" are both implementations of each gradient measured on their own: the SIMD kernel (for the
  input gradient called directly, at every channel count) and the XNNPACK formulation that the kernels fall
  back to where the SIMD module cannot share the heap (the threaded wasm build).
- Absolute numbers move by up to a third between runs on this shared VM (the same forward conv has measured
  12 to 30 GFLOP/s on different days); the shares compare kernels timed seconds apart.
- "stock input" is tfjs 4.22's own wasm Conv2DBackpropInput (a scalar reference loop); tfjs 4.22 has no wasm
  Conv2DBackpropFilter, so there is no stock column for it.

| image | layer | input -> out channels | GFLOP | forward | backprop input | backprop filter | share of forward | input: SIMD / XNNPACK | filter: SIMD / XNNPACK | stock input |
|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Lowest share of the forward conv's GFLOP/s over all shapes: ${lowest('backprop input')}, ${lowest('backprop filter')}.

The input gradient of a 3x3 layer with ${4 * WIDTH} channels on small images, in µs per call: the SIMD kernel and the
XNNPACK formulation, which builds a sub-filter and an XNNPACK operator (packing its weights) on every call. The
registered kernel takes the SIMD kernel up to ${SIMD_INPUT_GRADIENT_MAX_CHANNELS} input channels or up to ${SIMD_INPUT_GRADIENT_MAX_PIXELS} dy pixels (batch x height x width).

| dy -> dx channels | dy pixels | SIMD µs | XNNPACK µs | SIMD speed-up | registered kernel takes |
|---|---:|---:|---:|---:|---|
${smallRows.join('\n')}
`;
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/kernels.md', report);
  console.log('wrote bench/results/kernels.md');
}

await main();

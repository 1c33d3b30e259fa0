import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileSystemHandler, MODEL_JSON_FILE, WEIGHTS_FILE } from '../../src/tf/io/file-system-handler.js';
import { tf } from '../../src/tf/tfjs.js';

/** Input size of the test network: small so the test is fast on the cpu backend. */
const INPUT_SHAPE = [16, 16, 3];

/** A miniature multi-task net: shared conv + batch norm trunk, a segmentation and a depth head. */
function buildModel(): tf.LayersModel {
  const input = tf.input({ shape: INPUT_SHAPE, name: 'image' });
  let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', name: 'trunk_conv' }).apply(input);
  x = tf.layers.batchNormalization({ name: 'trunk_bn' }).apply(x);
  x = tf.layers.activation({ activation: 'relu' }).apply(x);
  const seg = tf.layers
    .conv2d({ filters: 4, kernelSize: 1, activation: 'softmax', name: 'segmentation' })
    .apply(x) as tf.SymbolicTensor;
  const depth = tf.layers.conv2d({ filters: 1, kernelSize: 1, name: 'depth' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: [seg, depth], name: 'tiny_mtl' });
  model.compile({ optimizer: 'adam', loss: ['categoricalCrossentropy', 'meanSquaredError'] });
  return model;
}

/** One short fit so batch-norm moving statistics and weights differ from their initial values. */
async function trainBriefly(model: tf.LayersModel): Promise<void> {
  const [x, seg, depth] = tf.tidy(() => [
    tf.randomUniform([4, ...INPUT_SHAPE]),
    tf.oneHot(tf.randomUniform([4, 16, 16], 0, 4, 'int32'), 4),
    tf.randomUniform([4, 16, 16, 1]),
  ]);
  await model.fit(x, [seg, depth], { epochs: 1, batchSize: 2, verbose: 0 });
  tf.dispose([x, seg, depth]);
}

/** Every weight of a model as plain arrays, keyed by name. */
function weightArrays(model: tf.LayersModel): Map<string, number[]> {
  return new Map(model.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));
}

function assertSameWeights(a: tf.LayersModel, b: tf.LayersModel): void {
  const wa = weightArrays(a);
  const wb = weightArrays(b);
  assert.deepEqual([...wb.keys()].sort(), [...wa.keys()].sort());
  for (const [name, values] of wa) assert.deepEqual(wb.get(name), values, `weight ${name}`);
}

function predictArrays(model: tf.LayersModel, x: tf.Tensor): number[][] {
  return tf.tidy(() => {
    const out = model.predict(x);
    return (Array.isArray(out) ? out : [out]).map((t) => Array.from(t.dataSync()));
  });
}

describe('fileSystemHandler', () => {
  let root: string;
  let n = 0;
  const freshDir = (): string => join(root, `case-${++n}`);

  before(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
    root = await mkdtemp(join(tmpdir(), 'scene-mtl-fsh-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('saves a two-head model and loads it back with identical weights and predictions', async () => {
    const dir = join(freshDir(), 'nested', 'model'); // does not exist yet: save creates it
    const model = buildModel();
    await trainBriefly(model);

    const result = await model.save(fileSystemHandler(dir));
    assert.equal(result.modelArtifactsInfo.modelTopologyType, 'JSON');
    assert.ok((result.modelArtifactsInfo.weightDataBytes ?? 0) > 0);

    // Exactly the two files, no temp leftovers.
    assert.deepEqual((await readdir(dir)).sort(), [MODEL_JSON_FILE, WEIGHTS_FILE]);
    const weightsSize = (await stat(join(dir, WEIGHTS_FILE))).size;
    assert.equal(weightsSize, result.modelArtifactsInfo.weightDataBytes);

    const loaded = await tf.loadLayersModel(fileSystemHandler(dir));
    try {
      assertSameWeights(model, loaded);
      assert.deepEqual(
        loaded.outputs.map((o) => o.shape),
        model.outputs.map((o) => o.shape),
      );
      const x = tf.randomUniform([2, ...INPUT_SHAPE]);
      try {
        assert.deepEqual(predictArrays(loaded, x), predictArrays(model, x));
      } finally {
        x.dispose();
      }
    } finally {
      model.dispose();
      loaded.dispose();
    }
  });

  it('writes a standard tfjs layers model.json, with the optimizer when asked', async () => {
    const dir = freshDir();
    const model = buildModel();
    await trainBriefly(model); // so that Adam has slot variables to save
    try {
      await model.save(fileSystemHandler(dir), { includeOptimizer: true });
    } finally {
      model.dispose();
    }
    const json = JSON.parse(await readFile(join(dir, MODEL_JSON_FILE), 'utf8')) as tf.io.ModelJSON;
    assert.equal(typeof json.modelTopology, 'object');
    assert.equal(json.format, 'layers-model');
    assert.match(json.generatedBy ?? '', /TensorFlow\.js/);
    assert.ok('convertedBy' in json);
    assert.ok(json.trainingConfig, 'trainingConfig of a compiled model is kept');
    assert.equal(json.weightsManifest.length, 1);
    assert.deepEqual(json.weightsManifest[0]?.paths, [WEIGHTS_FILE]);
    const names = json.weightsManifest[0]?.weights.map((w) => w.name) ?? [];
    assert.ok(names.some((name) => name.includes('trunk_bn') && name.includes('moving_mean')));
    assert.ok(names.some((name) => name.includes('segmentation')));
    assert.ok(names.some((name) => name.includes('depth')));
    assert.ok(json.weightsManifest[0]?.weights.some((w) => w.group === 'optimizer'));

    // tfjs restores the compiled model and its optimizer state from these files.
    const loaded = await tf.loadLayersModel(fileSystemHandler(dir));
    try {
      assert.ok(loaded.optimizer, 'loaded model is compiled');
      const slots = await loaded.optimizer.getWeights();
      assert.ok(slots.length > 1, 'optimizer state restored');
      // getWeights() makes a fresh scalar for the iteration count; the rest are the optimizer's variables.
      tf.dispose(slots.filter((s) => s.name === 'iter').map((s) => s.tensor));
    } finally {
      loaded.dispose();
    }
  });

  it('keeps userDefinedMetadata', async () => {
    const dir = freshDir();
    const model = buildModel();
    model.setUserDefinedMetadata({ tasks: ['segmentation', 'depth'] });
    try {
      await model.save(fileSystemHandler(dir));
    } finally {
      model.dispose();
    }
    const loaded = await tf.loadLayersModel(fileSystemHandler(dir));
    assert.deepEqual(loaded.getUserDefinedMetadata(), { tasks: ['segmentation', 'depth'] });
    loaded.dispose();
  });

  it('overwrites an existing model in place', async () => {
    const dir = freshDir();
    const first = buildModel();
    const second = buildModel();
    try {
      await first.save(fileSystemHandler(dir));
      await second.save(fileSystemHandler(dir));
      const loaded = await tf.loadLayersModel(fileSystemHandler(dir));
      assertSameWeights(second, loaded);
      loaded.dispose();
      assert.deepEqual((await readdir(dir)).sort(), [MODEL_JSON_FILE, WEIGHTS_FILE]);
    } finally {
      first.dispose();
      second.dispose();
    }
  });

  it('does not leak tensors across save, load, predict and dispose', async () => {
    const dir = freshDir();
    const before = tf.memory().numTensors;
    const model = buildModel();
    await trainBriefly(model);
    await model.save(fileSystemHandler(dir));
    const loaded = await tf.loadLayersModel(fileSystemHandler(dir));
    const x = tf.randomUniform([1, ...INPUT_SHAPE]);
    predictArrays(loaded, x);
    x.dispose();
    model.dispose();
    loaded.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it('names weights.bin when it is missing', async () => {
    const dir = freshDir();
    const model = buildModel();
    await model.save(fileSystemHandler(dir));
    model.dispose();
    await unlink(join(dir, WEIGHTS_FILE));
    await assert.rejects(tf.loadLayersModel(fileSystemHandler(dir)), (err: Error) => {
      assert.match(err.message, /weights\.bin/);
      assert.match(err.message, /missing/);
      return true;
    });
  });

  it('names weights.bin when it is truncated', async () => {
    const dir = freshDir();
    const model = buildModel();
    await model.save(fileSystemHandler(dir));
    model.dispose();
    const size = (await stat(join(dir, WEIGHTS_FILE))).size;
    await truncate(join(dir, WEIGHTS_FILE), size - 10);
    await assert.rejects(tf.loadLayersModel(fileSystemHandler(dir)), (err: Error) => {
      assert.match(err.message, /weights\.bin/);
      assert.match(err.message, /too short/);
      assert.match(err.message, new RegExp(`need ${size} bytes, found ${size - 10}`));
      return true;
    });
  });

  it('reports a missing model.json', async () => {
    await assert.rejects(tf.loadLayersModel(fileSystemHandler(freshDir())), /model\.json is missing/);
  });

  it('refuses shard paths outside the model directory', async () => {
    const dir = freshDir();
    const model = buildModel();
    await model.save(fileSystemHandler(dir));
    model.dispose();
    const json = JSON.parse(await readFile(join(dir, MODEL_JSON_FILE), 'utf8')) as tf.io.ModelJSON;
    json.weightsManifest[0]!.paths = ['../weights.bin'];
    await writeFile(join(dir, MODEL_JSON_FILE), JSON.stringify(json));
    await assert.rejects(tf.loadLayersModel(fileSystemHandler(dir)), /"\.\.\/weights\.bin".*inside/);
  });

  describe('hand-written manifests with several shards', () => {
    let dir: string;
    let reference: tf.LayersModel;
    let json: tf.io.ModelJSON;
    let weights: Buffer;

    before(async () => {
      dir = freshDir();
      reference = buildModel();
      await trainBriefly(reference);
      await reference.save(fileSystemHandler(dir));
      json = JSON.parse(await readFile(join(dir, MODEL_JSON_FILE), 'utf8')) as tf.io.ModelJSON;
      weights = await readFile(join(dir, WEIGHTS_FILE));
      await unlink(join(dir, WEIGHTS_FILE));
    });
    after(() => reference.dispose());

    it('loads one group split over two shard files (split inside a tensor)', async () => {
      // An odd offset, so the split falls in the middle of a float32 value.
      const cut = Math.floor(weights.byteLength / 2) | 1;
      await writeFile(join(dir, 'group1-shard1of2.bin'), weights.subarray(0, cut));
      await writeFile(join(dir, 'group1-shard2of2.bin'), weights.subarray(cut));
      const manifest: tf.io.WeightsManifestConfig = [
        {
          paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
          weights: json.weightsManifest[0]!.weights,
        },
      ];
      await writeFile(join(dir, MODEL_JSON_FILE), JSON.stringify({ ...json, weightsManifest: manifest }));

      const loaded = await tf.loadLayersModel(fileSystemHandler(dir));
      assertSameWeights(reference, loaded);
      loaded.dispose();
    });

    it('loads two groups, each with its own shard file', async () => {
      const specs = json.weightsManifest[0]!.weights;
      const bytesOf = (s: tf.io.WeightsManifestEntry): number => 4 * s.shape.reduce((a, b) => a * b, 1);
      const k = 3;
      const firstBytes = specs.slice(0, k).reduce((sum, s) => sum + bytesOf(s), 0);
      await writeFile(join(dir, 'a.bin'), weights.subarray(0, firstBytes));
      await writeFile(join(dir, 'sub-b.bin'), weights.subarray(firstBytes));
      const manifest: tf.io.WeightsManifestConfig = [
        { paths: ['a.bin'], weights: specs.slice(0, k) },
        { paths: ['sub-b.bin'], weights: specs.slice(k) },
      ];
      await writeFile(join(dir, MODEL_JSON_FILE), JSON.stringify({ ...json, weightsManifest: manifest }));

      const loaded = await tf.loadLayersModel(fileSystemHandler(dir));
      assertSameWeights(reference, loaded);
      loaded.dispose();
    });

    it('names the missing shard of a multi-shard group', async () => {
      const manifest: tf.io.WeightsManifestConfig = [
        {
          paths: ['group1-shard1of2.bin', 'group1-shard9of2.bin'],
          weights: json.weightsManifest[0]!.weights,
        },
      ];
      await writeFile(join(dir, MODEL_JSON_FILE), JSON.stringify({ ...json, weightsManifest: manifest }));
      await assert.rejects(tf.loadLayersModel(fileSystemHandler(dir)), /"group1-shard9of2\.bin".*missing/);
    });
  });
});

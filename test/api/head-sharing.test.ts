import assert from 'node:assert/strict';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { after, before, describe, it } from 'node:test';
import { assignHeads, helpWith, HelperLink, runShared } from '../../src/api/predict/head-sharing.js';
import type { PredictEncoding } from '../../src/api/predict/predict-messages.js';
import { predictionBody } from '../../src/api/predict/predict-response.js';
import { decodeImage } from '../../src/data/image-codec.js';
import { buildNetwork } from '../../src/model/network.js';
import { Predictor, type PreparedImage } from '../../src/model/predictor.js';
import { TASKS, type Task } from '../../src/model/tasks.js';
import { selectBackend, tf } from '../../src/tf/index.js';
import { randomImage, tinyModelManifest } from '../helpers/tiny-model.js';

/** An answer's fields without its timings (which differ run to run), and its timings. */
function split(body: Record<string, unknown>): {
  fields: Record<string, unknown>;
  timings: Record<string, number>;
} {
  const { timings, ...fields } = body;
  return { fields, timings: timings as Record<string, number> };
}

/** A helper end that says it is ready, then does `onFeatures` with the features message. */
function fakeHelper(port: MessagePort, onFeatures: (port: MessagePort) => void): void {
  port.postMessage({ type: 'ready' });
  port.once('message', () => onFeatures(port));
}

/** Long enough for a port's message to arrive (a thread decoding its image waits longer). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('head sharing', { timeout: 120_000 }, () => {
  let predictor: Predictor;
  let image: PreparedImage;

  before(async () => {
    await selectBackend('wasm');
    const model = buildNetwork({ width: 4, inputSize: [32, 64], tasks: [...TASKS], classes: 19, seed: 5 });
    predictor = new Predictor(model, tinyModelManifest('shared'));
    image = predictor.prepare(await decodeImage(await randomImage(101, 47, 'png')));
  });
  after(() => predictor.dispose());

  /** The answer one thread gives: the whole model, one forward pass. */
  async function alone(outputs: readonly Task[], encoding: PredictEncoding) {
    const [prediction] = predictor.runBatch([{ ...image, outputs }]);
    return split(await predictionBody(prediction!, { decodeMs: 0 }, encoding));
  }

  /** The answer with the split network, with `helper` at the other end of the link (or no link). */
  async function shared(
    outputs: readonly Task[],
    encoding: PredictEncoding,
    helper?: (port: MessagePort) => void | Promise<void>,
  ) {
    const before = tf.memory().numTensors;
    const channel = helper ? new MessageChannel() : undefined;
    const link = channel ? new HelperLink(channel.port1) : undefined;
    const helping = channel ? helper!(channel.port2) : undefined;
    await settle(); // the helper's first word arrives, as it does while a thread decodes
    const run = runShared(predictor, { ...image, outputs }, encoding, link);
    try {
      return split(await predictionBody(run.prediction, { decodeMs: 0 }, encoding, run.remote));
    } finally {
      run.dispose();
      link?.close();
      await helping;
      assert.equal(tf.memory().numTensors, before, 'no tensor outlives a shared prediction on either side');
    }
  }

  for (const encoding of ['png', 'raw'] as const) {
    for (const outputs of [[...TASKS], ['instances'], ['depth'], ['segmentation', 'depth']] as Task[][]) {
      it(`${encoding}, ${outputs.join('+')}: a helper's heads give the one-thread answer`, async () => {
        const expected = await alone(outputs, encoding);
        const answer = await shared(outputs, encoding, (port) => helpWith(port, predictor));
        assert.deepEqual(answer.fields, expected.fields);
        const needed = predictor.headsFor(outputs);
        assert.equal(answer.timings['threads'], needed.length > 1 ? 2 : 1);
      });
    }
  }

  it('without a link, or with a helper that does not hold the model, one thread answers the same', async () => {
    const expected = await alone([...TASKS], 'png');
    const noLink = await shared([...TASKS], 'png');
    assert.deepEqual(noLink.fields, expected.fields);
    assert.equal(noLink.timings['threads'], 1);
    const declined = await shared([...TASKS], 'png', (port) => helpWith(port, undefined));
    assert.deepEqual(declined.fields, expected.fields);
    assert.equal(declined.timings['threads'], 1);
  });

  it('a helper that is gone after taking the features (its port closes) is replaced by this thread', async () => {
    const expected = await alone([...TASKS], 'raw');
    const answer = await shared([...TASKS], 'raw', (port) => fakeHelper(port, (p) => p.close()));
    assert.deepEqual(answer.fields, expected.fields);
    assert.equal(answer.timings['threads'], 1, 'nothing came from the helper');
  });

  it('a helper whose model differs (the features do not fit it) says it failed, and this thread answers', async () => {
    const expected = await alone([...TASKS], 'png');
    const wider = buildNetwork({ width: 8, inputSize: [32, 64], tasks: [...TASKS], classes: 19, seed: 5 });
    const other = new Predictor(wider, tinyModelManifest('shared'));
    try {
      const answer = await shared([...TASKS], 'png', (port) => helpWith(port, other));
      assert.deepEqual(answer.fields, expected.fields);
      assert.equal(answer.timings['threads'], 1);
    } finally {
      other.dispose();
    }
  });

  it('a helper that fails, or gives only some heads, is replaced by this thread for the rest', async () => {
    const expected = await alone([...TASKS], 'png');
    const failed = await shared([...TASKS], 'png', (port) =>
      fakeHelper(port, (p) => p.postMessage({ type: 'failed', message: 'out of memory' })),
    );
    assert.deepEqual(failed.fields, expected.fields);
    // Offsets from the helper, then it is gone before the depth section.
    const partial = await shared([...TASKS], 'png', (port) =>
      fakeHelper(port, (p) => {
        const features = predictor.trunk(image);
        const data = predictor.head('instances', features);
        tf.dispose(features);
        p.postMessage({ type: 'head', task: 'instances', data });
        p.close();
      }),
    );
    assert.deepEqual(partial.fields, expected.fields);
  });

  it('assignHeads keeps the first needed head here and lends the rest, depth last', () => {
    assert.deepEqual(assignHeads(['segmentation', 'instances', 'depth'], true), {
      local: ['segmentation'],
      remote: ['instances', 'depth'],
    });
    assert.deepEqual(assignHeads(['depth'], true), { local: ['depth'], remote: [] });
    assert.deepEqual(assignHeads(['segmentation', 'depth'], false), {
      local: ['segmentation', 'depth'],
      remote: [],
    });
  });
});

/**
 * Entry of a predictor thread (worker_threads): chooses the compute backend, keeps an LRU cache of loaded
 * models, and answers prediction jobs from the API's main thread, so that decoding, inference,
 * clustering and PNG encoding never run on the API's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeImage } from '../../data/image-codec.js';
import { AppError, INTERNAL_ERROR_CODE } from '../../errors.js';
import { loadModel } from '../../model/artifacts.js';
import { Predictor } from '../../model/predictor.js';
import { selectBackend, type BackendChoice } from '../../tf/index.js';
import type { FromThread, PredictJob, SerialisedError, ToThread } from './predict-messages.js';
import { predictionBody, predictionView } from './predict-response.js';

/** What the pool passes to each thread. */
export interface PredictThreadData {
  artifactDir: string;
  backend: BackendChoice;
  modelCacheSize: number;
}

const { artifactDir, backend, modelCacheSize } = workerData as PredictThreadData;
const port = parentPort!;
/** Loaded models, least recently used first (Map keeps insertion order; a hit re-inserts). */
const cache = new Map<string, Promise<Predictor>>();
/** The job being handled: an evicted model is disposed only once it is done (it may be using the model). */
let inFlight: Promise<unknown> = Promise.resolve();

/** Frees a model that left the cache, after the job in flight. */
function disposeLater(entry: Promise<Predictor> | undefined): void {
  if (entry === undefined) return;
  void inFlight.finally(() => entry.then((p) => p.dispose()).catch(() => undefined));
}

function predictorFor(modelId: string): Promise<Predictor> {
  const hit = cache.get(modelId);
  if (hit !== undefined) {
    cache.delete(modelId);
    cache.set(modelId, hit);
    return hit;
  }
  const loading = loadModel(artifactDir, modelId).then(
    ({ model, manifest }) => new Predictor(model, manifest),
  );
  // A failed load (unknown model) must not stay cached.
  loading.catch(() => cache.delete(modelId));
  cache.set(modelId, loading);
  while (cache.size > modelCacheSize) {
    const [oldest, entry] = cache.entries().next().value as [string, Promise<Predictor>];
    cache.delete(oldest);
    disposeLater(entry);
  }
  return loading;
}

function serialise(error: unknown): SerialisedError {
  if (error instanceof AppError) {
    return {
      code: error.code,
      statusCode: error.statusCode,
      message: error.message,
      ...(error.details !== undefined ? { details: error.details } : {}),
    };
  }
  return {
    code: INTERNAL_ERROR_CODE,
    statusCode: 500,
    message: error instanceof Error ? error.message : String(error),
  };
}

async function handle(job: PredictJob): Promise<FromThread> {
  const predictor = await predictorFor(job.modelId);
  const t0 = performance.now();
  const image = await decodeImage(Buffer.from(job.image.buffer, job.image.byteOffset, job.image.byteLength));
  const decodeMs = performance.now() - t0;
  const outputs = job.view
    ? predictor.tasks.filter((t) =>
        job.view === 'overlay' ? t === 'segmentation' : t === (job.view === 'depth' ? 'depth' : job.view),
      )
    : job.outputs;
  const prediction = predictor.predict(image, outputs);
  if (job.view) {
    const png = await predictionView(prediction, predictor.manifest, image, job.view);
    return {
      type: 'result',
      id: job.id,
      kind: 'png',
      png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength),
    };
  }
  return {
    type: 'result',
    id: job.id,
    kind: 'json',
    body: await predictionBody(prediction, predictor.manifest, { decodeMs }),
  };
}

try {
  await selectBackend(backend);
  port.on('message', (message: ToThread) => {
    if (message.type === 'evict') {
      const entry = cache.get(message.modelId);
      cache.delete(message.modelId);
      disposeLater(entry);
      return;
    }
    const job = handle(message);
    inFlight = job.catch(() => undefined);
    job.then(
      (reply) =>
        port.postMessage(
          reply,
          reply.type === 'result' && reply.kind === 'png' ? [reply.png.buffer as ArrayBuffer] : [],
        ),
      (error: unknown) =>
        port.postMessage({ type: 'error', id: message.id, error: serialise(error) } satisfies FromThread),
    );
  });
  port.postMessage({ type: 'ready' } satisfies FromThread);
} catch (error) {
  port.postMessage({
    type: 'fatal',
    message: error instanceof Error ? error.message : String(error),
  } satisfies FromThread);
}

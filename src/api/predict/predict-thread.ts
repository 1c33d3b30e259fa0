/**
 * Entry of a predictor thread (worker_threads): chooses the compute backend, keeps an LRU cache of loaded
 * models, and answers prediction jobs from the API's main thread, so that decoding, inference,
 * clustering and PNG encoding never run on the API's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeImage, disableDecoderCache, type RasterImage } from '../../data/image-codec.js';
import { AppError, INTERNAL_ERROR_CODE } from '../../errors.js';
import { loadModel } from '../../model/artifacts.js';
import { Predictor, type LazyPrediction } from '../../model/predictor.js';
import type { Task } from '../../model/tasks.js';
import { selectBackend, type BackendChoice } from '../../tf/index.js';
import type { FromThread, PredictJob, SerialisedError, ToThread } from './predict-messages.js';
import { collectGarbage } from './collect-garbage.js';
import { jsonBytes } from './json-bytes.js';
import { predictionBody, predictionView } from './predict-response.js';

/** What the pool passes to each thread. */
export interface PredictThreadData {
  artifactDir: string;
  backend: BackendChoice;
  modelCacheSize: number;
}

/**
 * Image size from which a finished prediction is followed by a full garbage collection. Why 1 MP: below
 * it the maps left behind are a few MB, which V8's own collections take care of; above it they are
 * 7+ bytes a pixel (about 120 MB at 4096x4096) that an idle thread would otherwise keep, and a
 * collection (tens of ms) is small next to such a prediction.
 */
const COLLECT_AFTER_PIXELS = 1024 * 1024;

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

/** The outputs a job computes: the asked-for ones, or those its view shows. */
function outputsOf(job: PredictJob, tasks: readonly Task[]): Task[] {
  if (!job.view) return job.outputs;
  const needs: Task = job.view === 'overlay' ? 'segmentation' : job.view;
  return tasks.filter((t) => t === needs);
}

function decode(job: PredictJob): Promise<RasterImage> {
  return decodeImage(Buffer.from(job.image.buffer, job.image.byteOffset, job.image.byteLength));
}

/**
 * Decodes and runs the network. A function of its own so that the full-size decoded image is garbage as
 * soon as the network's input is made: nothing of the caller's frame can keep it.
 */
async function runJob(job: PredictJob, predictor: Predictor): Promise<[LazyPrediction, number]> {
  const t0 = performance.now();
  const image = await decode(job);
  const decodeMs = performance.now() - t0;
  return [predictor.run(image, outputsOf(job, predictor.tasks)), decodeMs];
}

/** Answers one job; `pixels` is the image's size (0 when it was not decoded). */
async function handle(job: PredictJob): Promise<{ reply: FromThread; pixels: number }> {
  const predictor = await predictorFor(job.modelId);
  if (job.view) {
    const image = await decode(job);
    const { maps } = predictor.run(image, outputsOf(job, predictor.tasks));
    const png = await predictionView(maps, image, job.view);
    const bytes = new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
    return {
      reply: { type: 'result', id: job.id, kind: 'png', png: bytes },
      pixels: maps.width * maps.height,
    };
  }
  const [prediction, decodeMs] = await runJob(job, predictor);
  const json = jsonBytes(await predictionBody(prediction, { decodeMs }));
  const bytes = new Uint8Array(json.buffer, json.byteOffset, json.byteLength);
  const { width, height } = prediction.maps;
  return { reply: { type: 'result', id: job.id, kind: 'json', json: bytes }, pixels: width * height };
}

/** Posts a reply, transferring its bytes (they are not used here again). */
function post(reply: FromThread): void {
  const transfer = reply.type === 'result' ? [(reply.kind === 'png' ? reply.png : reply.json).buffer] : [];
  port.postMessage(reply, transfer as ArrayBuffer[]);
}

try {
  disableDecoderCache();
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
      ({ reply, pixels }) => {
        post(reply);
        // The full-size maps of a large image are garbage now: give their memory back before idling.
        if (pixels >= COLLECT_AFTER_PIXELS) collectGarbage();
      },
      (error: unknown) => post({ type: 'error', id: message.id, error: serialise(error) }),
    );
  });
  port.postMessage({ type: 'ready' } satisfies FromThread);
} catch (error) {
  port.postMessage({
    type: 'fatal',
    message: error instanceof Error ? error.message : String(error),
  } satisfies FromThread);
}

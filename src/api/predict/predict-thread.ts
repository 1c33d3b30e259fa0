/**
 * Entry of a predictor thread (worker_threads): chooses the compute backend, keeps an LRU cache of loaded
 * models, and answers batches of prediction jobs from the API's main thread (one forward pass a batch), so that decoding, inference,
 * clustering and PNG encoding never run on the API's event loop.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { decodeImage, disableDecoderCache, type RasterImage } from '../../data/image-codec.js';
import { AppError, INTERNAL_ERROR_CODE } from '../../errors.js';
import { loadModel } from '../../model/artifacts.js';
import { Predictor, type LazyPrediction, type PreparedImage } from '../../model/predictor.js';
import type { Task } from '../../model/tasks.js';
import { selectBackend, type BackendChoice } from '../../tf/index.js';
import type {
  FromThread,
  PredictBatch,
  PredictEncoding,
  PredictJob,
  SerialisedError,
  ToThread,
  ViewName,
} from './predict-messages.js';
import { collectGarbage } from './collect-garbage.js';
import { helpWith, HelperLink, runShared } from './head-sharing.js';
import { predictionBytes, predictionView } from './predict-response.js';

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
/** The cached models that have finished loading (what this thread can lend to another's prediction). */
const loaded = new Map<string, Predictor>();
/** The job being handled: an evicted model is disposed only once it is done (it may be using the model). */
let inFlight: Promise<unknown> = Promise.resolve();

/** Frees a model that left the cache, after the job in flight. */
function disposeLater(modelId: string, entry: Promise<Predictor> | undefined): void {
  if (entry === undefined) return;
  loaded.delete(modelId);
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
  loading.then(
    (predictor) => {
      if (cache.get(modelId) === loading) loaded.set(modelId, predictor);
    },
    () => cache.delete(modelId),
  );
  cache.set(modelId, loading);
  while (cache.size > modelCacheSize) {
    const [oldest, entry] = cache.entries().next().value as [string, Promise<Predictor>];
    cache.delete(oldest);
    disposeLater(oldest, entry);
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

/** A job's reply and its image's size (0 when it was not decoded). */
interface Answered {
  reply: FromThread;
  pixels: number;
}

/**
 * Decodes a job's image and makes the network's input of it. A function of its own so that the full-size
 * decoded image is garbage as soon as the input is made: nothing of the caller's frame can keep it (a
 * batch holds only its images' network inputs).
 */
async function prepareJob(job: PredictJob, predictor: Predictor): Promise<[PreparedImage, number]> {
  const t0 = performance.now();
  const image = await decode(job);
  const decodeMs = performance.now() - t0;
  return [predictor.prepare(image, outputsOf(job, predictor.tasks)), decodeMs];
}

/** A coloured view (never batched: the overlay needs the full-size image). */
async function viewReply(job: PredictJob, predictor: Predictor, view: ViewName): Promise<Answered> {
  const image = await decode(job);
  const { maps } = predictor.run(image, outputsOf(job, predictor.tasks));
  const png = await predictionView(maps, image, view);
  const bytes = new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
  return { reply: { type: 'result', id: job.id, kind: 'png', bytes }, pixels: maps.width * maps.height };
}

/** An error reply for one job. */
function errorReply(job: PredictJob, error: unknown): Answered {
  return { reply: { type: 'error', id: job.id, error: serialise(error) }, pixels: 0 };
}

/** A result reply: the answer's bytes as the encoding makes them. */
function resultReply(job: PredictJob, encoding: PredictEncoding, bytes: Buffer, pixels: number): Answered {
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = encoding === 'raw' ? 'raw' : 'json';
  return { reply: { type: 'result', id: job.id, kind, bytes: view }, pixels };
}

/**
 * Answers a lone job with the split network: only the heads its outputs need, some of them on the
 * helping thread when there is one (head-sharing.ts).
 */
async function sharedReply(
  job: PredictJob,
  prepared: PreparedImage,
  decodeMs: number,
  predictor: Predictor,
  link: HelperLink | undefined,
): Promise<Answered> {
  try {
    const encoding = job.encoding ?? 'png';
    const shared = runShared(predictor, prepared, encoding, link);
    try {
      const bytes = await predictionBytes(shared.prediction, { decodeMs }, encoding, shared.remote);
      return resultReply(job, encoding, bytes, prepared.width * prepared.height);
    } finally {
      shared.dispose();
    }
  } catch (error) {
    return errorReply(job, error);
  }
}

/**
 * Lends this idle thread to another's prediction of `modelId` (head-sharing.ts) and tells the pool when
 * its part is done. A thread that does not hold the model declines, and loads it for the next time.
 */
function lend(modelId: string, port: MessagePort): void {
  const predictor = loaded.get(modelId);
  if (predictor === undefined) predictorFor(modelId).catch(() => undefined);
  const work = helpWith(port, predictor).finally(() => post({ type: 'helped' }));
  inFlight = work.catch(() => undefined);
}

/**
 * Answers a batch: decodes and prepares each image (a failure answers that job alone), runs the network
 * once on every prepared image, then post-processes and encodes the answers one at a time, each posted as
 * soon as it is ready. `answer` is called once per job.
 */
async function handleBatch(batch: PredictBatch, answer: (answered: Answered) => void): Promise<void> {
  // Listening at once: the helper's "ready" arrives while the image decodes.
  const link = batch.helper === undefined ? undefined : new HelperLink(batch.helper);
  try {
    await answerBatch(batch, link, answer);
  } finally {
    link?.close();
  }
}

async function answerBatch(
  batch: PredictBatch,
  link: HelperLink | undefined,
  answer: (answered: Answered) => void,
): Promise<void> {
  let predictor: Predictor;
  try {
    predictor = await predictorFor(batch.modelId);
  } catch (error) {
    for (const job of batch.jobs) answer(errorReply(job, error));
    return;
  }
  const ready: { job: PredictJob; prepared: PreparedImage; decodeMs: number }[] = [];
  for (const job of batch.jobs) {
    try {
      if (job.view) {
        answer(await viewReply(job, predictor, job.view));
        continue;
      }
      const [prepared, decodeMs] = await prepareJob(job, predictor);
      ready.push({ job, prepared, decodeMs });
    } catch (error) {
      answer(errorReply(job, error));
    }
  }
  if (ready.length === 1 && batch.jobs.length === 1 && predictor.split !== undefined) {
    const [{ job, prepared, decodeMs }] = ready as [(typeof ready)[number]];
    answer(await sharedReply(job, prepared, decodeMs, predictor, link));
    return;
  }
  link?.close(); // a batch of several (or a model that cannot split) runs here alone: free the helper now
  let predictions: LazyPrediction[];
  try {
    predictions = predictor.runBatch(ready.map((r) => r.prepared));
  } catch (error) {
    for (const { job } of ready) answer(errorReply(job, error));
    return;
  }
  for (const [i, { job, decodeMs }] of ready.entries()) {
    const prediction = predictions[i]!;
    try {
      const encoding = job.encoding ?? 'png';
      const bytes = await predictionBytes(prediction, { decodeMs }, encoding);
      const { width, height } = prediction.maps;
      answer(resultReply(job, encoding, bytes, width * height));
    } catch (error) {
      answer(errorReply(job, error));
    }
    // This job's heads and maps are garbage from here on, not held until the whole batch is answered.
    predictions[i] = undefined as unknown as LazyPrediction;
  }
}

/** Posts a reply, transferring its bytes (they are not used here again). */
function post(reply: FromThread): void {
  const transfer = reply.type === 'result' ? [reply.bytes.buffer] : [];
  port.postMessage(reply, transfer as ArrayBuffer[]);
}

try {
  disableDecoderCache();
  await selectBackend(backend);
  port.on('message', (message: ToThread) => {
    if (message.type === 'evict') {
      const entry = cache.get(message.modelId);
      cache.delete(message.modelId);
      disposeLater(message.modelId, entry);
      return;
    }
    if (message.type === 'help') {
      lend(message.modelId, message.port);
      return;
    }
    let largest = 0;
    const job = handleBatch(message, ({ reply, pixels }) => {
      post(reply);
      largest = Math.max(largest, pixels);
    });
    inFlight = job.catch(() => undefined);
    job.then(
      () => {
        // The full-size maps of a large image are garbage now: give their memory back before idling.
        if (largest >= COLLECT_AFTER_PIXELS) collectGarbage();
      },
      (error: unknown) => {
        // handleBatch answers every job itself; this is a bug's last resort, so no job waits forever.
        for (const j of message.jobs) post({ type: 'error', id: j.id, error: serialise(error) });
      },
    );
  });
  port.postMessage({ type: 'ready' } satisfies FromThread);
} catch (error) {
  port.postMessage({
    type: 'fatal',
    message: error instanceof Error ? error.message : String(error),
  } satisfies FromThread);
}

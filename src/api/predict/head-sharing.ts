/**
 * One prediction on two predictor threads. When a lone prediction arrives and another thread is idle, the
 * pool (predictor-pool.ts) gives the job to one thread (the primary) and a MessagePort between the two to
 * both. The primary runs the network's trunk and sends its features over; the idle thread (the helper)
 * runs some heads on them (instances, then depth) while the primary runs the first (segmentation) and
 * post-processes it. The helper sends the instance offsets back as soon as they exist and then makes the
 * whole depth section (maps, range, metres, PNGs), which the primary puts into its answer.
 *
 * The answer is the one a single thread gives, to the bit (the split network runs the same kernels, and
 * the same functions post-process the same heads). Whatever happens to the helper (it declines because it
 * does not hold the model, fails, or its thread dies), the primary computes the missing heads itself:
 * the prediction never waits on a thread that is gone. The primary closes the port when it is done.
 *
 * @packageDocumentation
 */
import type { MessagePort } from 'node:worker_threads';
import type { Tensor } from '@tensorflow/tfjs';
import type { LazyPrediction, PreparedImage, Predictor } from '../../model/predictor.js';
import { HEAD_KEYS } from '../../model/predictor.js';
import { PredictionMaps, type HeadOutputs } from '../../model/prediction-maps.js';
import type { Task } from '../../model/tasks.js';
import { tf } from '../../tf/index.js';
import type { PredictEncoding } from './predict-messages.js';
import { depthAnswer, type DepthAnswer, type RemoteParts } from './predict-response.js';

/** What the primary sends the helper: the trunk's features and what to do with them. */
interface HelpRequest {
  type: 'features';
  /** The trunk features (batch 1), in the split's order. */
  features: Float32Array[];
  /** The heads the helper runs, in this order (depth, if any, last: its section is made in full). */
  heads: Task[];
  width: number;
  height: number;
  encoding: PredictEncoding;
}

/** What goes over a shared prediction's port. */
type ToHelper = HelpRequest | { type: 'cancel' };
type FromHelper =
  | { type: 'ready' }
  | { type: 'declined' }
  | { type: 'head'; task: Task; data: Float32Array }
  | { type: 'depth'; answer: DepthAnswer }
  | { type: 'failed'; message: string };

/** The helper's part of a shared prediction ended without a result (it failed or its thread is gone). */
class HelperLostError extends Error {
  constructor(reason: string) {
    super(`the helping predictor thread gave no result: ${reason}`);
    this.name = 'HelperLostError';
  }
}

/** A promise with its settle functions. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // a result nobody waited for must not be an unhandled rejection
  return { promise, resolve, reject };
}

/**
 * The heads of a prediction split between this thread and a helper: this thread runs the first needed
 * head (and, without a helper, all of them). Instances run elsewhere only together with the segmentation
 * here, since their post-processing needs both; depth goes last, since its section is made where it runs.
 */
export function assignHeads(needed: readonly Task[], helped: boolean): { local: Task[]; remote: Task[] } {
  if (!helped || needed.length < 2) return { local: [...needed], remote: [] };
  return { local: needed.slice(0, 1), remote: needed.slice(1) };
}

/** The primary's end of a shared prediction's port. */
export class HelperLink {
  private state: 'waiting' | 'ready' | 'declined' | 'delegated' | 'closed' = 'waiting';
  private readonly heads = new Map<Task, ReturnType<typeof deferred<Float32Array>>>();
  private readonly depth = deferred<DepthAnswer>();

  constructor(private readonly port: MessagePort) {
    port.on('message', (message: FromHelper) => this.receive(message));
    port.on('close', () => this.fail('its port closed'));
  }

  /** Whether the helper said it holds the model and waits for features (known by the time a trunk has run). */
  get ready(): boolean {
    return this.state === 'ready';
  }

  /**
   * Sends the features and the heads the helper is to run; each result's promise rejects with a
   * HelperLostError if the helper cannot give it.
   */
  delegate(request: Omit<HelpRequest, 'type'>): {
    heads: Map<Task, Promise<Float32Array>>;
    depth?: Promise<DepthAnswer>;
  } {
    this.state = 'delegated';
    const heads = new Map<Task, Promise<Float32Array>>();
    for (const task of request.heads) {
      if (task === 'depth') continue;
      const slot = deferred<Float32Array>();
      this.heads.set(task, slot);
      heads.set(task, slot.promise);
    }
    this.send({ type: 'features', ...request });
    return { heads, ...(request.heads.includes('depth') ? { depth: this.depth.promise } : {}) };
  }

  /**
   * Ends the shared prediction (again: a no-op): tells a helper still waiting that nothing comes, and
   * closes the port, which frees the helper at once.
   */
  close(): void {
    if (this.state === 'closed') return;
    if (this.state === 'ready' || this.state === 'waiting') this.send({ type: 'cancel' });
    this.state = 'closed';
    this.port.close();
  }

  private send(message: ToHelper): void {
    this.port.postMessage(message);
  }

  private receive(message: FromHelper): void {
    switch (message.type) {
      case 'ready':
        if (this.state === 'waiting') this.state = 'ready';
        return;
      case 'declined':
        if (this.state === 'waiting') this.state = 'declined';
        return;
      case 'head':
        this.heads.get(message.task)?.resolve(message.data);
        return;
      case 'depth':
        this.depth.resolve(message.answer);
        return;
      case 'failed':
        this.fail(message.message);
        return;
    }
  }

  private fail(reason: string): void {
    if (this.state === 'waiting' || this.state === 'ready') this.state = 'declined';
    const error = new HelperLostError(reason);
    for (const slot of this.heads.values()) slot.reject(error);
    this.depth.reject(error);
  }
}

/** A prediction whose heads ran apart, ready for `predictionBytes` with its remote parts. */
export interface SharedPrediction {
  prediction: LazyPrediction;
  remote: RemoteParts;
  /** Frees the trunk features once the answer is written (the fallbacks may still need them). */
  dispose(): void;
}

/** A copy of a tensor's values, as float32 (to send to another thread). */
function valuesOf(tensor: Tensor): Float32Array {
  return Float32Array.from(tensor.dataSync());
}

/**
 * Runs one prepared image through the split network: the trunk here, the remote heads on the helper when
 * it is ready (else here too), the local heads here. The answer's remote parts fall back to this thread
 * for any head the helper does not deliver.
 *
 * @param link - The helper's link, or undefined to run every head here (only the heads the outputs need).
 */
export function runShared(
  predictor: Predictor,
  image: PreparedImage,
  encoding: PredictEncoding,
  link: HelperLink | undefined,
): SharedPrediction {
  const started = performance.now();
  const features = predictor.trunk(image);
  try {
    return runHeads(predictor, image, encoding, link, features, started);
  } catch (error) {
    tf.dispose(features);
    throw error;
  }
}

/** {@link runShared} from the trunk's features on (which the result's `dispose` frees). */
function runHeads(
  predictor: Predictor,
  image: PreparedImage,
  encoding: PredictEncoding,
  link: HelperLink | undefined,
  features: Tensor[],
  started: number,
): SharedPrediction {
  const needed = predictor.headsFor(image.outputs);
  const { local, remote } = assignHeads(needed, link?.ready === true);
  const delegated =
    remote.length > 0
      ? link!.delegate({
          features: features.map(valuesOf),
          heads: remote,
          width: image.width,
          height: image.height,
          encoding,
        })
      : undefined;
  // A helper with nothing to do is free again before this thread's heads run.
  if (delegated === undefined) link?.close();
  const heads: HeadOutputs = {};
  for (const task of local) heads[HEAD_KEYS[task]] = predictor.head(task, features);
  const inferenceMs = performance.now() - started;
  const timings = { preprocessMs: image.preprocessMs, inferenceMs, batch: 1, threads: delegated ? 2 : 1 };
  const { manifest } = predictor;
  const maps = new PredictionMaps(heads, manifest, image.outputs, image.width, image.height);
  const parts: RemoteParts = {};
  if (delegated) {
    // What the helper does not deliver is computed here; if it delivers nothing, one thread answered.
    const expected = delegated.heads.size + (delegated.depth ? 1 : 0);
    let lost = 0;
    const here = (task: Task) => {
      if (++lost === expected) timings.threads = 1;
      return predictor.head(task, features);
    };
    const arrived = [...delegated.heads].map(([task, data]) =>
      data.catch(() => here(task)).then((values) => maps.addHeads({ [HEAD_KEYS[task]]: values })),
    );
    parts.heads = Promise.all(arrived).then(() => undefined);
    // An answer that failed before it awaited these must not leave an unhandled rejection behind.
    parts.heads.catch(() => undefined);
    if (delegated.depth) {
      parts.depth = delegated.depth.catch(() =>
        depthOnly(predictor, here('depth'), image.width, image.height, encoding),
      );
      parts.depth.catch(() => undefined);
    }
  }
  return {
    prediction: { maps, timings },
    remote: parts,
    dispose: () => tf.dispose(features),
  };
}

/** The depth section of a `width` x `height` image from its depth head alone (wherever that head ran). */
function depthOnly(
  predictor: Predictor,
  depth: Float32Array,
  width: number,
  height: number,
  encoding: PredictEncoding,
): Promise<DepthAnswer> {
  return depthAnswer(new PredictionMaps({ depth }, predictor.manifest, ['depth'], width, height), encoding);
}

/** The next message on a port, or undefined once it closes. */
function nextMessage<T>(port: MessagePort): Promise<T | undefined> {
  return new Promise((resolve) => {
    const onMessage = (message: T) => {
      port.off('close', onClose);
      resolve(message);
    };
    const onClose = () => {
      port.off('message', onMessage);
      resolve(undefined);
    };
    port.once('message', onMessage);
    port.once('close', onClose);
  });
}

/**
 * The helper's side: says whether it can help (it holds the model, loaded, with a split network), waits
 * for the features, runs the asked-for heads and sends each result back as soon as it exists (the depth
 * head as its finished section). Resolves when its part is done; the primary closes the port.
 *
 * @param predictor - This thread's loaded predictor of the model, or undefined when it holds none.
 */
export async function helpWith(port: MessagePort, predictor: Predictor | undefined): Promise<void> {
  try {
    await lendHeads(port, predictor);
  } catch (error) {
    // Whatever went wrong, the primary hears of it (and computes the heads itself) instead of waiting.
    port.postMessage({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
    } satisfies FromHelper);
  }
}

/** {@link helpWith}'s work; throws on any failure, which helpWith reports. */
async function lendHeads(port: MessagePort, predictor: Predictor | undefined): Promise<void> {
  if (predictor?.split === undefined) {
    port.postMessage({ type: 'declined' } satisfies FromHelper);
    return;
  }
  port.postMessage({ type: 'ready' } satisfies FromHelper);
  const request = await nextMessage<ToHelper>(port);
  if (request?.type !== 'features') return;
  const shapes = predictor.split.featureShapes;
  const features: Tensor[] = [];
  try {
    for (const [k, data] of request.features.entries()) {
      features.push(tf.tensor4d(data, [1, ...shapes[k]!] as [number, number, number, number]));
    }
    for (const task of request.heads) {
      const data = predictor.head(task, features);
      if (task !== 'depth') {
        port.postMessage({ type: 'head', task, data } satisfies FromHelper);
        continue;
      }
      const answer = await depthOnly(predictor, data, request.width, request.height, request.encoding);
      port.postMessage({ type: 'depth', answer } satisfies FromHelper);
    }
  } finally {
    tf.dispose(features);
  }
}

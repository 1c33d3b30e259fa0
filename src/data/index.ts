/**
 * The data library: image codec, CityScapes labels and reader, training targets, input pipeline and
 * preprocessed cache. Usable from the worker and from CLIs (it never imports `api/`, `queue/` or `workers/`).
 * The synthetic scene generator lives in `./synthetic/`.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './image-codec.js';
export * from './cityscapes-labels.js';
export * from './camera.js';
export * from './data-path.js';
export * from './cityscapes-reader.js';
export * from './targets.js';
export * from './augment.js';
export * from './normalisation.js';
export * from './seeded-random.js';
export * from './sample-source.js';
export * from './png-sample-source.js';
export * from './shard-format.js';
export * from './cache-key.js';
export * from './cached-sample-source.js';
export * from './target-cache.js';
export * from './batch.js';
export * from './pipeline.js';
export * from './dataset-pipeline.js';

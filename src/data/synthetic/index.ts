/**
 * Synthetic street scenes with exact ground truth, in the CityScapes layout.
 *
 * A scene is a procedural 3-D street (road with lane markings, raised sidewalks, verges, building facades
 * with windows, poles with lamps, signs and traffic lights, trees and hedges, cars, trucks and people)
 * ray-cast through a pinhole stereo camera with CityScapes' intrinsics scaled to the image size. Labels,
 * instances and depth come from the ray hit, so they are exact; colours, textures and lighting (noon,
 * overcast, dusk, with sun shadows) vary with the seed. Everything is deterministic: same seed, same bytes.
 *
 * ```ts
 * const scene = generateScene({ width: 256, height: 128, seed: 1, index: 0 });
 * const options = { outDir: 'data/synth', scenes: 100, width: 256, height: 128, seed: 1, split: 'train' };
 * await generateDataset(options);
 * ```
 *
 * @packageDocumentation
 */
export { CITYSCAPES_CAMERA, disparityOf, scaledIntrinsic } from './camera.js';
export type { CameraExtrinsic, CameraFile, CameraIntrinsic } from './camera.js';
export { colorizeDisparity, colorizeInstances, colorizeLabels } from './colorize.js';
export {
  cameraJson,
  encodeDisparity,
  sampleImages,
  sampleName,
  samplePaths,
  SYNTHETIC_FRAME,
} from './dataset-files.js';
export type { SampleImages, SamplePaths } from './dataset-files.js';
export { generateDataset, splitSeed } from './generate-dataset.js';
export type { DatasetOptions, DatasetResult } from './generate-dataset.js';
export { generateScene, sceneSeed } from './generate-scene.js';
export type { Scene, SceneInstance, SceneOptions } from './generate-scene.js';
export { LABEL } from './label-ids.js';
export { MAX_SCENE_SIDE, MAX_SCENES, MAX_SEED, parseSceneSize, SPLIT_PATTERN } from './scene-options.js';
export { SCENE_STYLES } from './scene-style.js';
export type { SceneStyle } from './scene-style.js';
export type { InstanceKind } from './street-scene.js';

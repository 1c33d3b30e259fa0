/**
 * Train-id conventions shared by post-processing and metrics (CityScapes' own: 19 classes, 255 = ignore).
 */

/**
 * Train id of pixels without a usable label. Why 255: CityScapes' train-id convention, and the largest value
 * of a Uint8Array label map, so class ids 0..254 stay free.
 */
export const IGNORE_LABEL = 255;

/**
 * Number of CityScapes train classes. Why exported: the default size of a palette and of segmentation
 * metrics when a model follows CityScapes' label set.
 */
export const CITYSCAPES_CLASS_COUNT = 19;

/**
 * CityScapes train ids of the "thing" classes (countable objects that get instance ids): person 11, rider 12,
 * car 13, truck 14, bus 15, train 16, motorcycle 17, bicycle 18. Why the default: CityScapes' labels table
 * marks exactly these train classes `hasInstances`; other label sets pass their own list.
 */
export const DEFAULT_THING_TRAIN_IDS: readonly number[] = Object.freeze([11, 12, 13, 14, 15, 16, 17, 18]);

/**
 * Train-id conventions shared by post-processing and metrics: CityScapes' own, taken from the labels table
 * in src/data so that there is one source of truth.
 */
import { IGNORE_TRAIN_ID, NUM_TRAIN_CLASSES, THING_TRAIN_IDS } from '../../data/cityscapes-labels.js';

/** Train id of pixels without a usable label (255: CityScapes' convention, the largest Uint8 value). */
export const IGNORE_LABEL = IGNORE_TRAIN_ID;

/** Number of CityScapes train classes: the default size of palettes and segmentation metrics. */
export const CITYSCAPES_CLASS_COUNT = NUM_TRAIN_CLASSES;

/** CityScapes train ids of the thing classes (person .. bicycle): the default for clustering and PQ. */
export const DEFAULT_THING_TRAIN_IDS: readonly number[] = THING_TRAIN_IDS;

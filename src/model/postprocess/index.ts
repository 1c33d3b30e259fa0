/**
 * Post-processing of the network's outputs, as pure functions over plain typed arrays: argmax, instance
 * clustering, disparity to depth, and colour views.
 */
export { argmax, MAX_CLASSES } from './argmax.js';
export { clusterInstances, type ClusterInstancesInput } from './cluster-instances.js';
export {
  resolveClusterOptions,
  DEFAULT_ASSIGN_RADIUS,
  DEFAULT_BANDWIDTH,
  DEFAULT_MAX_ITERATIONS,
  DEFAULT_MERGE_RADIUS,
  DEFAULT_MIN_PIXELS,
  DEFAULT_MIN_VOTES,
  MIN_BANDWIDTH,
  type ClusterOptions,
} from './cluster-options.js';
export { MAX_INSTANCES, type ClusterInstancesResult, type InstanceSummary } from './instance-summary.js';
export { disparityScale, disparityToDepth, type StereoCamera } from './disparity-to-depth.js';
export { BACKGROUND_COLOUR, CITYSCAPES_PALETTE, type Rgb } from './colour-palette.js';
export { colourizeLabels } from './colourize-labels.js';
export { colourizeInstances, instanceColour } from './colourize-instances.js';
export { colourizeDisparity, type ColourizeDisparityOptions } from './colourize-disparity.js';
export { TURBO_TABLE, turboColour } from './turbo-colormap.js';
export { overlay } from './overlay.js';
export { CITYSCAPES_CLASS_COUNT, DEFAULT_THING_TRAIN_IDS, IGNORE_LABEL } from './train-ids.js';

/**
 * The full-resolution ground truth of a CityScapes-layout split, by the sample names the input pipeline
 * gives batches (`split/city/name`), for `evaluateModel`'s full-resolution mode.
 *
 * @packageDocumentation
 */
import { buildTargets, CityscapesReader, type CityscapesSample } from '../data/index.js';
import type { SampleTruth } from './evaluation-scorer.js';

/**
 * Opens a split and returns a reader of each sample's ground truth at its own resolution: train ids,
 * instance offsets and disparity as the training targets define them (at that resolution's pixels), and
 * the raw `instanceIds` for PQ (crowd regions included). Files are read when a sample is asked for.
 *
 * @throws DatasetError when the dataset or split cannot be listed.
 */
export async function cityscapesGroundTruth(
  dataDir: string,
  datasetPath: string,
  split: string,
): Promise<(name: string) => Promise<SampleTruth | undefined>> {
  const reader = await CityscapesReader.open(dataDir, datasetPath, { require: [] });
  const samples = new Map<string, CityscapesSample>(
    (await reader.listSamples(split)).map((s) => [`${s.split}/${s.city}/${s.name}`, s]),
  );
  return async (name) => {
    const sample = samples.get(name);
    if (sample === undefined) return undefined;
    const decoded = await reader.readSample(sample);
    const { width, height } = decoded.image;
    const targets = buildTargets(decoded, width, height);
    return {
      height,
      width,
      labels: targets.trainIds,
      offsets: targets.offsets,
      offsetMask: targets.offsetMask,
      disparity: targets.disparity,
      disparityMask: targets.disparityMask,
      ...(decoded.instanceIds ? { instanceIds: Uint16Array.from(decoded.instanceIds.data) } : {}),
    };
  };
}

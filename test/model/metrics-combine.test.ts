import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DisparityErrorMetric,
  OffsetErrorMetric,
  PanopticQuality,
  SegmentationMetrics,
  combineMetrics,
  headlineMetrics,
  jsonSafe,
} from '../../src/model/metrics/index.js';

test('combineMetrics collects every accumulator into plain data that survives JSON', () => {
  const segmentation = new SegmentationMetrics(2);
  segmentation.update(Uint8Array.from([0, 1, 1]), Uint8Array.from([0, 1, 0]));
  const instances = new OffsetErrorMetric();
  instances.update(Float32Array.from([NaN, 0]), Float32Array.from([0, 0]), Uint8Array.from([1]));
  const depth = new DisparityErrorMetric();
  depth.update(Float32Array.from([1.5]), Float32Array.from([1]));
  const summary = combineMetrics({ segmentation, instances, depth, panoptic: new PanopticQuality() });
  assert.deepEqual(summary, {
    segmentation: {
      meanIoU: (1 / 2 + 1 / 2) / 2,
      meanIoUPresent: (1 / 2 + 1 / 2) / 2,
      presentClasses: [0, 1],
      perClassIoU: [1 / 2, 1 / 2],
      pixelAccuracy: 2 / 3,
      pixels: 3,
    },
    instances: { meanError: null, meanL1: null, pixels: 1 },
    depth: { meanAbsoluteError: 0.5, rootMeanSquaredError: 0.5, pixels: 1 },
    panoptic: {
      pq: null,
      sq: null,
      rq: null,
      precision: null,
      recall: null,
      tp: 0,
      fp: 0,
      fn: 0,
      perClass: [],
    },
  });
  assert.deepEqual(JSON.parse(JSON.stringify(summary)), summary);
  assert.deepEqual(headlineMetrics(summary), {
    meanIoU: 0.5,
    meanIoUPresent: 0.5,
    instanceErrorPx: null,
    disparityErrorPx: 0.5,
    pq: null,
  });
});

test('combineMetrics takes results as well as accumulators, and leaves out tasks not given', () => {
  const depth = new DisparityErrorMetric();
  depth.update(Float32Array.from([3]), Float32Array.from([1]));
  assert.deepEqual(combineMetrics({ depth: depth.result() }), combineMetrics({ depth }));
  assert.deepEqual(Object.keys(combineMetrics({ depth })), ['depth']);
  assert.deepEqual(headlineMetrics({}), {
    meanIoU: null,
    meanIoUPresent: null,
    instanceErrorPx: null,
    disparityErrorPx: null,
    pq: null,
  });
});

test('jsonSafe replaces non-finite numbers deeply and turns typed arrays into arrays', () => {
  assert.deepEqual(
    jsonSafe({ a: [1, NaN, { b: Infinity }], c: Float32Array.from([1, NaN]), d: 'x', e: null }),
    {
      a: [1, null, { b: null }],
      c: [1, null],
      d: 'x',
      e: null,
    },
  );
});

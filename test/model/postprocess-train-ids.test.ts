import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  INSTANCE_ID_DIVISOR,
  IGNORE_TRAIN_ID,
  NUM_TRAIN_CLASSES,
  THING_TRAIN_IDS,
  TRAIN_ID_TO_COLOR,
} from '../../src/data/cityscapes-labels.js';
import { CITYSCAPES_INSTANCE_ID_BASE } from '../../src/model/metrics/index.js';
import {
  CITYSCAPES_CLASS_COUNT,
  CITYSCAPES_PALETTE,
  DEFAULT_THING_TRAIN_IDS,
  IGNORE_LABEL,
} from '../../src/model/postprocess/index.js';

test('the defaults of post-processing and metrics agree with the CityScapes labels table of src/data', () => {
  assert.deepEqual(DEFAULT_THING_TRAIN_IDS, [11, 12, 13, 14, 15, 16, 17, 18]);
  assert.deepEqual(DEFAULT_THING_TRAIN_IDS, THING_TRAIN_IDS);
  assert.equal(IGNORE_LABEL, IGNORE_TRAIN_ID);
  assert.equal(CITYSCAPES_CLASS_COUNT, NUM_TRAIN_CLASSES);
  assert.equal(CITYSCAPES_INSTANCE_ID_BASE, INSTANCE_ID_DIVISOR);
  assert.deepEqual(
    CITYSCAPES_PALETTE.map((c) => [...c]),
    TRAIN_ID_TO_COLOR.map((c) => [...c]),
  );
});

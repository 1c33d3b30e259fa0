import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelIdsOf, trainIdsOf } from './cityscapes-ids.js';

test('labelIdsOf and trainIdsOf read the CityScapes labels table by class name', () => {
  // Values from cityscapesScripts' labels.py.
  assert.deepEqual(labelIdsOf('road', 'car', 'caravan'), { road: 7, car: 26, caravan: 29 });
  assert.deepEqual(trainIdsOf('road', 'sky', 'car', 'bicycle'), { road: 0, sky: 10, car: 13, bicycle: 18 });
  assert.ok(Object.isFrozen(trainIdsOf('car')));
});

test('an unknown class name is refused, naming it', () => {
  assert.throws(() => trainIdsOf('spaceship'), /no class "spaceship"/);
});

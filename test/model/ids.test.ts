import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import { assertWellFormedId, ID_PATTERN, isWellFormedId } from '../../src/model/ids.js';

describe('ids', () => {
  it('accepts UUIDs and slugs; refuses what could leave the models directory or read as an option', () => {
    for (const id of ['3f0c2a1e-8b7d-4c55-9a1e-2b3c4d5e6f70', 'tiny', 'train-2024-01-01T00-00-00-000Z']) {
      assert.ok(isWellFormedId(id), id);
    }
    for (const id of ['', '..', '.hidden', '-x', '_x', 'a/b', 'bad id', 'x'.repeat(129)]) {
      assert.ok(!isWellFormedId(id), id);
    }
    assert.throws(
      () => assertWellFormedId('..', 'model'),
      (err: unknown) =>
        err instanceof ValidationError && err.message === `model id must match ${ID_PATTERN}, got ".."`,
    );
  });
});

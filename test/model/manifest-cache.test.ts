import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ModelBrokenError, NotFoundError } from '../../src/errors.js';
import { modelsRoot } from '../../src/model/artifacts.js';
import { ManifestCache } from '../../src/model/manifest-cache.js';
import { tinyModelManifest } from '../helpers/tiny-model.js';

describe('ManifestCache', () => {
  let dir: string;
  const file = (id: string) => join(modelsRoot(dir), id, 'manifest.json');
  /** Writes a manifest the way the service does: a new file renamed over the old one. */
  const writeManifest = async (id: string, name: string) => {
    await mkdir(join(modelsRoot(dir), id), { recursive: true });
    await writeFile(`${file(id)}.tmp`, JSON.stringify({ ...tinyModelManifest(id), name }));
    await rename(`${file(id)}.tmp`, file(id));
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'manifest-cache-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reads a manifest once and answers the same object while the file is unchanged', async () => {
    await writeManifest('kept', 'first');
    const cache = new ManifestCache(dir);
    const first = await cache.read('kept');
    assert.equal(first.name, 'first');
    assert.equal(await cache.read('kept'), first);
  });

  it('reads a replaced manifest afresh, and a deleted model is not found', async () => {
    await writeManifest('replaced', 'old');
    const cache = new ManifestCache(dir);
    assert.equal((await cache.read('replaced')).name, 'old');
    await writeManifest('replaced', 'new');
    assert.equal((await cache.read('replaced')).name, 'new');
    await rm(join(modelsRoot(dir), 'replaced'), { recursive: true });
    await assert.rejects(cache.read('replaced'), NotFoundError);
  });

  it('never keeps a broken manifest: once repaired, it is read', async () => {
    await mkdir(join(modelsRoot(dir), 'broken'), { recursive: true });
    await writeFile(file('broken'), '{ not json');
    const cache = new ManifestCache(dir);
    await assert.rejects(cache.read('broken'), ModelBrokenError);
    await writeManifest('broken', 'repaired');
    assert.equal((await cache.read('broken')).name, 'repaired');
  });

  it('keeps at most its capacity, dropping the least recently read', async () => {
    const cache = new ManifestCache(dir, 2);
    for (const id of ['a', 'b', 'c']) await writeManifest(id, id);
    const a = await cache.read('a');
    const b = await cache.read('b');
    assert.equal(await cache.read('a'), a); // a is now the most recent
    await cache.read('c'); // drops b
    assert.equal(await cache.read('a'), a);
    assert.notEqual(await cache.read('b'), b);
  });

  it('rejects a malformed id before touching the disk', async () => {
    const cache = new ManifestCache(dir);
    await assert.rejects(
      cache.read('../etc'),
      (error: unknown) => error instanceof Error && /id/.test(error.message),
    );
  });
});

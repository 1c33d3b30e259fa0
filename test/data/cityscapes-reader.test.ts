import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CityscapesReader, type CityscapesSample } from '../../src/data/cityscapes-reader.js';
import { resolveDataPath } from '../../src/data/data-path.js';
import { encodePng } from '../../src/data/image-codec.js';
import { DatasetError } from '../../src/errors.js';
import { writeDataset, type WrittenSample } from './helpers/write-dataset.js';

const W = 64;
const H = 32;

/** Asserts that `promise` rejects with a DatasetError whose `file` is `file` (and whose message names it). */
async function rejectsNaming(promise: Promise<unknown>, file: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof DatasetError, `expected DatasetError, got ${String(e)}`);
    assert.equal(e.file, file);
    assert.equal(e.statusCode, 422);
    assert.ok(e.message.includes(file), `message "${e.message}" does not name ${file}`);
    if (message !== undefined) assert.match(e.message, message);
    return true;
  });
}

describe('CityScapes reader', () => {
  let dataDir: string;
  let outside: string;
  let written: Record<string, WrittenSample[]>;

  /** Copies the good dataset to `name` and lets `mutate` break it. */
  async function variant(name: string, mutate: (root: string) => Promise<void>): Promise<CityscapesReader> {
    const root = join(dataDir, name);
    await writeDataset(root, { splits: { train: 2 }, cities: ['aachen'], width: W, height: H });
    await mutate(root);
    return CityscapesReader.open(dataDir, name);
  }

  const file = (ds: string, folder: string, suffix: string): string =>
    `${ds}/${folder}/train/aachen/aachen_000000_000019${suffix}`;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'reader-data-'));
    outside = await mkdtemp(join(tmpdir(), 'reader-outside-'));
    written = await writeDataset(join(dataDir, 'good'), {
      splits: { train: 5, val: 2 },
      cities: ['bochum', 'aachen'],
      width: W,
      height: H,
    });
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('lists splits, cities and samples in sorted order with every partner paired', async () => {
    const reader = await CityscapesReader.open(dataDir, 'good');
    assert.deepEqual(await reader.listSplits(), ['train', 'val']);
    assert.deepEqual(await reader.listCities('train'), ['aachen', 'bochum']);
    const samples = await reader.listSamples('train');
    assert.deepEqual(
      samples.map((s) => `${s.city}/${s.name}`),
      written.train!.map((s) => `${s.city}/${s.name}`),
    );
    const s = samples[0]!;
    assert.deepEqual(s.files, {
      image: `good/leftImg8bit/train/aachen/${s.name}_leftImg8bit.png`,
      labelIds: `good/gtFine/train/aachen/${s.name}_gtFine_labelIds.png`,
      instanceIds: `good/gtFine/train/aachen/${s.name}_gtFine_instanceIds.png`,
      disparity: `good/disparity/train/aachen/${s.name}_disparity.png`,
      camera: `good/camera/train/aachen/${s.name}_camera.json`,
    });
    assert.equal((await reader.listSamples('train', { cities: ['bochum'] })).length, 3);
    await reader.checkSamples(samples);
  });

  it('decodes a sample to exactly what was written', async () => {
    const reader = await CityscapesReader.open(dataDir, 'good');
    const [sample] = await reader.listSamples('val');
    const decoded = await reader.readSample(sample!);
    const w = written.val![0]!;
    assert.deepEqual(decoded.image.data, w.rgb);
    assert.deepEqual(decoded.labelIds?.data, w.labelIds);
    assert.deepEqual(decoded.instanceIds?.data, w.instanceIds);
    assert.deepEqual(decoded.disparity?.data, w.disparity);
    assert.ok(Math.abs(decoded.camera!.fx - w.camera.fx) < 1e-9);
    assert.equal(decoded.camera!.baseline, w.camera.baseline);
  });

  it('refuses dataset paths that leave DATA_DIR: "..", absolute, symlink out', async () => {
    await rejectsNaming(CityscapesReader.open(dataDir, '../elsewhere'), '../elsewhere', /leaves DATA_DIR/);
    await rejectsNaming(CityscapesReader.open(dataDir, 'good/../../x'), 'good/../../x');
    await rejectsNaming(CityscapesReader.open(dataDir, outside), outside, /absolute/);
    await writeDataset(outside, { splits: { train: 1 }, width: W, height: H });
    await symlink(outside, join(dataDir, 'link-out'));
    await rejectsNaming(CityscapesReader.open(dataDir, 'link-out'), 'link-out', /symlink/);
    // A symlink that stays inside is fine.
    await symlink(join(dataDir, 'good'), join(dataDir, 'link-in'));
    assert.equal((await (await CityscapesReader.open(dataDir, 'link-in')).listSamples('val')).length, 2);
    assert.equal((await resolveDataPath(dataDir, 'good/./')).relative, 'good');
  });

  it('names a dataset that does not exist, has no leftImg8bit/, or lacks the split', async () => {
    await rejectsNaming(CityscapesReader.open(dataDir, 'missing'), 'missing', /does not exist/);
    await mkdir(join(dataDir, 'empty'));
    await rejectsNaming(CityscapesReader.open(dataDir, 'empty'), 'empty/leftImg8bit', /leftImg8bit/);
    const reader = await CityscapesReader.open(dataDir, 'good');
    await rejectsNaming(reader.listSamples('test'), 'good/leftImg8bit/test', /split "test"/);
  });

  it('names a symlinked file that points outside DATA_DIR', async () => {
    const reader = await variant('file-link-out', async (root) => {
      const target = join(outside, 'x_disparity.png');
      await writeFile(target, 'x');
      const f = join(root, 'disparity/train/aachen/aachen_000000_000019_disparity.png');
      await unlink(f);
      await symlink(target, f);
    });
    await rejectsNaming(
      reader.listSamples('train'),
      file('file-link-out', 'disparity', '_disparity.png'),
      /outside DATA_DIR/,
    );
  });

  const partners = [
    ['labelIds', 'gtFine', '_gtFine_labelIds.png'],
    ['instanceIds', 'gtFine', '_gtFine_instanceIds.png'],
    ['disparity', 'disparity', '_disparity.png'],
    ['camera', 'camera', '_camera.json'],
  ] as const;
  for (const [kind, folder, suffix] of partners) {
    it(`names the missing ${kind} partner`, async () => {
      const ds = `missing-${kind}`;
      const reader = await variant(ds, (root) =>
        unlink(join(root, folder, 'train/aachen', `aachen_000000_000019${suffix}`)),
      );
      await rejectsNaming(reader.listSamples('train'), file(ds, folder, suffix), /missing partner/);
      // Not required: the sample lists without it.
      const relaxed = await CityscapesReader.open(dataDir, ds, {
        require: ['labelIds', 'instanceIds', 'disparity', 'camera'].filter((k) => k !== kind) as never,
      });
      const [first] = await relaxed.listSamples('train');
      assert.equal(first!.files[kind], undefined);
    });
  }

  it('names a label file that has no image', async () => {
    const reader = await variant('orphan', (root) =>
      unlink(join(root, 'leftImg8bit/train/aachen/aachen_000000_000019_leftImg8bit.png')),
    );
    await rejectsNaming(
      reader.listSamples('train'),
      file('orphan', 'gtFine', '_gtFine_labelIds.png'),
      /has no image/,
    );
  });

  /** Lists the one broken sample (aachen_000000_000019) of a variant. */
  async function firstSample(reader: CityscapesReader): Promise<CityscapesSample> {
    return (await reader.listSamples('train'))[0]!;
  }

  it('names a partner whose size differs from its image (headers and decode)', async () => {
    const reader = await variant('size', async (root) => {
      const small = await encodePng({
        width: W / 2,
        height: H,
        channels: 1,
        bitDepth: 8,
        data: new Uint8Array((W / 2) * H),
      });
      await writeFile(join(root, 'gtFine/train/aachen/aachen_000000_000019_gtFine_labelIds.png'), small);
    });
    const sample = await firstSample(reader);
    const f = file('size', 'gtFine', '_gtFine_labelIds.png');
    await rejectsNaming(reader.checkSample(sample), f, /size 32x32 does not match/);
    await rejectsNaming(reader.readSample(sample), f, /size/);
    await rejectsNaming(reader.checkSamples(await reader.listSamples('train')), f);
  });

  for (const [kind, folder, suffix] of [
    ['instanceIds', 'gtFine', '_gtFine_instanceIds.png'],
    ['disparity', 'disparity', '_disparity.png'],
  ] as const) {
    it(`names an 8-bit ${kind} map where 16-bit is required`, async () => {
      const ds = `8bit-${kind}`;
      const reader = await variant(ds, async (root) => {
        const png = await encodePng({
          width: W,
          height: H,
          channels: 1,
          bitDepth: 8,
          data: new Uint8Array(W * H),
        });
        await writeFile(join(root, folder, 'train/aachen', `aachen_000000_000019${suffix}`), png);
      });
      const sample = await firstSample(reader);
      await rejectsNaming(reader.checkSample(sample), file(ds, folder, suffix), /16-bit is required/);
      await rejectsNaming(reader.readSample(sample), file(ds, folder, suffix), /16-bit/);
    });
  }

  it('names an RGB label map where a 1-channel map is required', async () => {
    const reader = await variant('rgb-labels', async (root) => {
      const png = await encodePng({
        width: W,
        height: H,
        channels: 3,
        bitDepth: 8,
        data: new Uint8Array(W * H * 3),
      });
      await writeFile(join(root, 'gtFine/train/aachen/aachen_000000_000019_gtFine_labelIds.png'), png);
    });
    await rejectsNaming(
      reader.checkSample(await firstSample(reader)),
      file('rgb-labels', 'gtFine', '_gtFine_labelIds.png'),
      /3 channel/,
    );
  });

  it('names an unreadable image and a truncated one', async () => {
    const reader = await variant('corrupt', async (root) => {
      await writeFile(
        join(root, 'leftImg8bit/train/aachen/aachen_000000_000019_leftImg8bit.png'),
        'not a png',
      );
      const inst = join(root, 'gtFine/train/aachen/aachen_000001_000019_gtFine_instanceIds.png');
      const png = await encodePng({
        width: W,
        height: H,
        channels: 1,
        bitDepth: 16,
        data: Uint16Array.from({ length: W * H }, (_, i) => (i * 7919) % 65536),
      });
      await writeFile(inst, png.subarray(0, Math.floor(png.length / 2)));
    });
    const [first, second] = await reader.listSamples('train');
    await rejectsNaming(
      reader.checkSample(first!),
      file('corrupt', 'leftImg8bit', '_leftImg8bit.png'),
      /unreadable/,
    );
    await rejectsNaming(
      reader.readSample(first!),
      file('corrupt', 'leftImg8bit', '_leftImg8bit.png'),
      /unreadable/,
    );
    await rejectsNaming(
      reader.readSample(second!),
      'corrupt/gtFine/train/aachen/aachen_000001_000019_gtFine_instanceIds.png',
      /unreadable/,
    );
  });

  for (const [label, content, pattern] of [
    ['invalid JSON', '{ "extrinsic": ', /not valid JSON/],
    [
      'a missing fx',
      JSON.stringify({ extrinsic: { baseline: 0.2 }, intrinsic: { fy: 1, u0: 1, v0: 1 } }),
      /fx/,
    ],
    ['a zero baseline', JSON.stringify({ baseline: 0, fx: 1, fy: 1, u0: 0, v0: 0 }), /baseline must be > 0/],
  ] as const) {
    it(`names a camera file with ${label}`, async () => {
      const ds = `camera-${label.replace(/\W+/g, '-')}`;
      const reader = await variant(ds, (root) =>
        writeFile(join(root, 'camera/train/aachen/aachen_000000_000019_camera.json'), content),
      );
      const sample = await firstSample(reader);
      await rejectsNaming(reader.checkSample(sample), file(ds, 'camera', '_camera.json'), pattern);
      await rejectsNaming(reader.readSample(sample), file(ds, 'camera', '_camera.json'), pattern);
    });
  }

  it('accepts a flat camera file', async () => {
    const reader = await variant('flat-camera', (root) =>
      writeFile(
        join(root, 'camera/train/aachen/aachen_000000_000019_camera.json'),
        JSON.stringify({ baseline: 0.5, fx: 100, fy: 101, u0: 30, v0: 15 }),
      ),
    );
    const decoded = await reader.readSample(await firstSample(reader));
    assert.deepEqual(decoded.camera, { baseline: 0.5, fx: 100, fy: 101, u0: 30, v0: 15 });
  });
});

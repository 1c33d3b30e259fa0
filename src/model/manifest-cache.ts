import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { assertModelId, modelsRoot, readManifest, type ModelManifest } from './artifacts.js';

/**
 * How many models' manifests {@link ManifestCache} keeps. Why 64: a manifest is tens of kB (its training
 * history), so 64 are a few MB, more models than a predictor thread keeps loaded (MODEL_CACHE_SIZE).
 */
export const MANIFEST_CACHE_ENTRIES = 64;

/** What identifies one version of a file: inode, size and times (a rewrite by rename is a new inode). */
function stampOf(file: { ino: number; size: number; mtimeMs: number; ctimeMs: number }): string {
  return `${file.ino}:${file.size}:${file.mtimeMs}:${file.ctimeMs}`;
}

/**
 * Models' manifests, read and checked once and kept while their manifest.json is the same file: a
 * prediction asks for its model's manifest on every request, and a `stat` costs a tenth of reading and
 * checking a manifest with its training history. Each read stats the file, so a model deleted, replaced or
 * repaired on disk (by this process or another) is read afresh; errors are never kept.
 */
export class ManifestCache {
  /** Least recently used first (a Map keeps insertion order; a hit re-inserts). */
  private readonly entries = new Map<string, { stamp: string; manifest: ModelManifest }>();

  constructor(
    private readonly artifactDir: string,
    private readonly capacity = MANIFEST_CACHE_ENTRIES,
  ) {}

  /**
   * The model's manifest, as {@link readManifest} reads it.
   *
   * @throws what {@link readManifest} throws (NotFoundError, ModelBrokenError, an invalid id's error).
   */
  async read(id: string): Promise<ModelManifest> {
    assertModelId(id);
    const found = await stat(join(modelsRoot(this.artifactDir), id, 'manifest.json')).catch(() => undefined);
    const stamp = found?.isFile() ? stampOf(found) : undefined;
    const hit = this.entries.get(id);
    this.entries.delete(id);
    if (stamp !== undefined && hit?.stamp === stamp) {
      this.entries.set(id, hit);
      return hit.manifest;
    }
    const manifest = await readManifest(this.artifactDir, id);
    if (stamp === undefined) return manifest;
    this.entries.set(id, { stamp, manifest });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return manifest;
  }
}

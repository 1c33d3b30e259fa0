/**
 * Error classes of the data library (image codec, raster checks, preprocessed cache).
 *
 * Dataset problems that name a file under `DATA_DIR` use {@link DatasetError} from `src/errors.ts`; the
 * classes here cover what happens below or beside a dataset: bytes that are not an image, a raster whose
 * shape does not match its pixel buffer, and a cache shard that cannot be trusted.
 *
 * @packageDocumentation
 */
import { AppError, type AppErrorOptions } from '../errors.js';

/**
 * Thrown by `decodeImage` / `readImageHeader` when the input is not a decodable PNG or JPEG: corrupt or
 * truncated data, an unsupported format, or a file that cannot be read. Answered with 422 (the request was
 * well-formed but its image cannot be processed).
 */
export class ImageDecodeError extends AppError {
  /**
   * @param message - What could not be decoded and why (never an absolute server path).
   * @param options - The decoder or file-system error, kept for logs.
   */
  constructor(message: string, options: Omit<AppErrorOptions, 'details'> = {}) {
    super('IMAGE_DECODE_ERROR', 422, message, options);
  }
}

/**
 * Thrown when a `RasterImage` handed to an encoder or resampler is inconsistent: its pixel buffer has the
 * wrong length or element type for its width, height, channels and bit depth, or a size is not a positive
 * integer. A programming error inside the service, so answered with 500.
 */
export class RasterShapeError extends AppError {
  /** @param message - Which field disagrees with which. */
  constructor(message: string) {
    super('RASTER_SHAPE_ERROR', 500, message);
  }
}

/**
 * Thrown when a preprocessed cache shard is unreadable or does not match what its index promises (wrong
 * magic, version, sizes or length). The pipeline catches it, logs it and rebuilds the cache from the PNGs,
 * so it reaches an HTTP client only if rebuilding fails too. Answered with 500.
 */
export class CacheCorruptError extends AppError {
  /**
   * @param message - What is wrong with the shard (path relative to the cache directory).
   * @param options - The underlying error, kept for logs.
   */
  constructor(message: string, options: Omit<AppErrorOptions, 'details'> = {}) {
    super('CACHE_CORRUPT', 500, message, options);
  }
}

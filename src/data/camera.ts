/**
 * Stereo camera parameters of a sample (`camera/{split}/{city}/{name}_camera.json`): parsing and rescaling.
 *
 * CityScapes' files nest the values: `{ "extrinsic": { "baseline", "pitch", "roll", "yaw", "x", "y", "z" },
 * "intrinsic": { "fx", "fy", "u0", "v0" } }`. A flat `{ "baseline", "fx", "fy", "u0", "v0" }` object is
 * accepted too. Focal lengths and principal point are in pixels of the image the file belongs to; the baseline
 * is in metres.
 *
 * @packageDocumentation
 */
import { DatasetError } from '../errors.js';

/** What training and depth conversion need from a camera file. */
export interface CameraParameters {
  /** Stereo baseline in metres (> 0). */
  baseline: number;
  /** Focal length along x, in pixels (> 0). */
  fx: number;
  /** Focal length along y, in pixels (> 0). */
  fy: number;
  /** Principal point x, in pixels (pixel centres at integer coordinates). */
  u0: number;
  /** Principal point y, in pixels. */
  v0: number;
}

/** Reads a finite number field, or explains which one is wrong. */
function numberField(obj: Record<string, unknown>, key: string, where: string, positive: boolean): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new Error(`${where}${key} must be a finite number, got ${JSON.stringify(v) ?? 'nothing'}`);
  }
  if (positive && v <= 0) throw new Error(`${where}${key} must be > 0, got ${v}`);
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses the text of a camera file.
 *
 * @param text - The file content.
 * @param file - The file, relative to `DATA_DIR`, for error messages.
 * @returns Baseline, focal lengths and principal point.
 * @throws {@link DatasetError} naming `file` when the text is not JSON or a value is missing, not a finite
 *   number, or (baseline, fx, fy) not positive.
 */
export function parseCameraJson(text: string, file: string): CameraParameters {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DatasetError(`camera file is not valid JSON: ${(error as Error).message}`, file, {
      cause: error,
    });
  }
  if (!isObject(json)) throw new DatasetError('camera file must hold a JSON object', file);
  try {
    const nested = isObject(json.intrinsic) || isObject(json.extrinsic);
    if (nested) {
      if (!isObject(json.intrinsic)) throw new Error('"intrinsic" must be an object');
      if (!isObject(json.extrinsic)) throw new Error('"extrinsic" must be an object');
      return {
        baseline: numberField(json.extrinsic, 'baseline', 'extrinsic.', true),
        fx: numberField(json.intrinsic, 'fx', 'intrinsic.', true),
        fy: numberField(json.intrinsic, 'fy', 'intrinsic.', true),
        u0: numberField(json.intrinsic, 'u0', 'intrinsic.', false),
        v0: numberField(json.intrinsic, 'v0', 'intrinsic.', false),
      };
    }
    return {
      baseline: numberField(json, 'baseline', '', true),
      fx: numberField(json, 'fx', '', true),
      fy: numberField(json, 'fy', '', true),
      u0: numberField(json, 'u0', '', false),
      v0: numberField(json, 'v0', '', false),
    };
  } catch (error) {
    throw new DatasetError(`bad camera file: ${(error as Error).message}`, file, { cause: error });
  }
}

/**
 * The camera of an image resized from `fromWidth` x `fromHeight` to `toWidth` x `toHeight` pixels: focal
 * lengths scale with the size; the principal point moves as pixel centres do (`(u + 0.5) * s - 0.5`, the
 * half-pixel-centre convention of the resamplers). The baseline does not change.
 *
 * @returns New parameters for the resized image.
 */
export function scaleCamera(
  camera: CameraParameters,
  fromWidth: number,
  fromHeight: number,
  toWidth: number,
  toHeight: number,
): CameraParameters {
  const sx = toWidth / fromWidth;
  const sy = toHeight / fromHeight;
  return {
    baseline: camera.baseline,
    fx: camera.fx * sx,
    fy: camera.fy * sy,
    u0: (camera.u0 + 0.5) * sx - 0.5,
    v0: (camera.v0 + 0.5) * sy - 0.5,
  };
}

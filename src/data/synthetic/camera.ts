/**
 * The synthetic stereo camera: CityScapes' intrinsics scaled to the output size, and the camera file
 * written beside every scene (`camera/{split}/{city}/{name}_camera.json`, the shape CityScapes uses).
 *
 * Conventions: pixel centres sit at integer coordinates (OpenCV's), so the ray through pixel `(u, v)` has the
 * camera-frame direction `((u - u0) / fx, (v - v0) / fy, 1)`. Depth `Z` is the distance along the optical
 * axis, and the disparity of a point is `fx * baseline / Z` pixels.
 *
 * @packageDocumentation
 */

/**
 * CityScapes' reference camera (the `camera/*.json` files of the dataset, e.g. aachen): 2048x1024 images,
 * focal lengths and principal point in pixels, stereo baseline and mounting height in metres.
 * Why these values: a synthetic scene then has the same field of view and disparity range as the real data,
 * so a model or a loss weighting tuned on one transfers to the other.
 */
export const CITYSCAPES_CAMERA = {
  width: 2048,
  height: 1024,
  fx: 2262.52,
  fy: 2265.3017905988554,
  u0: 1096.98,
  v0: 513.137,
  baseline: 0.209313,
  mountHeight: 1.22,
} as const;

/** Pinhole intrinsics in pixels, as in a CityScapes camera file. */
export interface CameraIntrinsic {
  fx: number;
  fy: number;
  u0: number;
  v0: number;
}

/**
 * Pose and stereo baseline, as in a CityScapes camera file. Position in the vehicle frame (x forward,
 * y left, z up, metres; the origin is on the road surface at the road's centre line); angles in radians
 * (pitch > 0 looks down, yaw > 0 turns left).
 */
export interface CameraExtrinsic {
  baseline: number;
  pitch: number;
  roll: number;
  yaw: number;
  x: number;
  y: number;
  z: number;
}

/** The content of a `_camera.json` file. */
export interface CameraFile {
  extrinsic: CameraExtrinsic;
  intrinsic: CameraIntrinsic;
}

/**
 * CityScapes' intrinsics scaled to an image of `width` x `height` pixels, as if the 2048x1024 frame had been
 * resized to it (so a non-2:1 size gets non-square pixels, exactly like a resized CityScapes image).
 *
 * @param width - Image width in pixels.
 * @param height - Image height in pixels.
 */
export function scaledIntrinsic(width: number, height: number): CameraIntrinsic {
  const sx = width / CITYSCAPES_CAMERA.width;
  const sy = height / CITYSCAPES_CAMERA.height;
  // Why the half-pixel shifts: with pixel centres at integer coordinates, resizing maps u to
  // (u + 0.5) * s - 0.5.
  return {
    fx: CITYSCAPES_CAMERA.fx * sx,
    fy: CITYSCAPES_CAMERA.fy * sy,
    u0: (CITYSCAPES_CAMERA.u0 + 0.5) * sx - 0.5,
    v0: (CITYSCAPES_CAMERA.v0 + 0.5) * sy - 0.5,
  };
}

/** The disparity in pixels of a point at depth `depth` metres seen by `camera`: `fx * baseline / depth`. */
export function disparityOf(camera: CameraFile, depth: number): number {
  return (camera.intrinsic.fx * camera.extrinsic.baseline) / depth;
}

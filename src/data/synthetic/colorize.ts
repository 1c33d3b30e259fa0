/**
 * Pictures of a scene's maps for people: labels in CityScapes' colours, instances in distinct colours over
 * darkened classes, disparity through a colour map. Used for the README sample and for eyeballing data.
 *
 * @packageDocumentation
 */
import { CITYSCAPES_LABELS, INSTANCE_ID_DIVISOR } from '../cityscapes-labels.js';
import type { RasterImage } from '../image-codec.js';
import { mix32 } from '../seeded-random.js';

/** RGB per label id 0-255 (CityScapes' colours; black for ids the table lacks). */
const LABEL_COLOURS: Uint8Array = (() => {
  const lut = new Uint8Array(256 * 3);
  for (const label of CITYSCAPES_LABELS) {
    if (label.id >= 0) lut.set(label.color, label.id * 3);
  }
  return lut;
})();

/**
 * Brightness of "stuff" pixels in the instance picture. Why 0.3: the scene stays recognisable while the
 * instances, at full brightness, stand out.
 */
const STUFF_DIMMING = 0.3;

/** A label-id map in CityScapes' class colours. */
export function colorizeLabels(labelIds: Uint8Array, width: number, height: number): RasterImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < labelIds.length; i++) {
    const c = labelIds[i]! * 3;
    data[i * 3] = LABEL_COLOURS[c]!;
    data[i * 3 + 1] = LABEL_COLOURS[c + 1]!;
    data[i * 3 + 2] = LABEL_COLOURS[c + 2]!;
  }
  return { width, height, channels: 3, bitDepth: 8, data };
}

/**
 * An instance-id map: every instance (id >= 1000) in its own saturated colour (hashed from the id, so the
 * same id always has the same colour), everything else in its class colour, dimmed.
 */
export function colorizeInstances(instanceIds: Uint16Array, width: number, height: number): RasterImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < instanceIds.length; i++) {
    const id = instanceIds[i]!;
    if (id >= INSTANCE_ID_DIVISOR) {
      const h = mix32(id);
      // Hue from the hash, full saturation: channels from a rotated triangle wave, never all dark.
      const hue = (h % 360) / 60;
      const f = (n: number): number => {
        const k = (n + hue) % 6;
        return Math.round(255 * (1 - Math.max(0, Math.min(k, 4 - k, 1)) * 0.85));
      };
      data[i * 3] = f(5);
      data[i * 3 + 1] = f(3);
      data[i * 3 + 2] = f(1);
    } else {
      const c = id * 3;
      data[i * 3] = Math.round(LABEL_COLOURS[c]! * STUFF_DIMMING);
      data[i * 3 + 1] = Math.round(LABEL_COLOURS[c + 1]! * STUFF_DIMMING);
      data[i * 3 + 2] = Math.round(LABEL_COLOURS[c + 2]! * STUFF_DIMMING);
    }
  }
  return { width, height, channels: 3, bitDepth: 8, data };
}

/**
 * Google's Turbo colour map as a polynomial fit (Mikhailov 2019): `t` in [0, 1] from dark blue (far) to dark
 * red (near). Why Turbo: perceptually smooth like viridis but with more contrast over a long range.
 */
function turbo(t: number, out: Uint8Array, offset: number): void {
  const x = Math.min(1, Math.max(0, t));
  const r =
    0.13572138 +
    x * (4.6153926 + x * (-42.66032258 + x * (132.13108234 + x * (-152.94239396 + x * 59.28637943))));
  const g =
    0.09140261 + x * (2.19418839 + x * (4.84296658 + x * (-14.18503333 + x * (4.27729857 + x * 2.82956604))));
  const b =
    0.1066733 +
    x * (12.64194608 + x * (-60.58204836 + x * (110.36276771 + x * (-89.90310912 + x * 27.34824973))));
  out[offset] = Math.round(255 * Math.min(1, Math.max(0, r)));
  out[offset + 1] = Math.round(255 * Math.min(1, Math.max(0, g)));
  out[offset + 2] = Math.round(255 * Math.min(1, Math.max(0, b)));
}

/**
 * A disparity map through the Turbo colour map, near = red, far = blue, invalid (0, the sky) black.
 * Disparity is shown on a square-root scale up to `maxDisparity` (default: the map's maximum), so the far
 * half of the street, whose disparities are all small, is not one flat colour.
 */
export function colorizeDisparity(
  disparity: Float32Array,
  width: number,
  height: number,
  maxDisparity?: number,
): RasterImage {
  let max = maxDisparity ?? 0;
  if (maxDisparity === undefined) for (const d of disparity) max = Math.max(max, d);
  const data = new Uint8Array(width * height * 3);
  const scale = max > 0 ? 1 / Math.sqrt(max) : 0;
  for (let i = 0; i < disparity.length; i++) {
    const d = disparity[i]!;
    if (d > 0) turbo(Math.sqrt(d) * scale, data, i * 3);
  }
  return { width, height, channels: 3, bitDepth: 8, data };
}

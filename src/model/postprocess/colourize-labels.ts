/**
 * Label map to a colour picture.
 */
import { BACKGROUND_COLOUR, CITYSCAPES_PALETTE, type Rgb } from './colour-palette.js';
import { assertRgb } from './validate.js';

/**
 * Paints each pixel in the palette colour of its label.
 *
 * @param labels - Row-major train ids.
 * @param palette - Colour of train id i at index i; default {@link CITYSCAPES_PALETTE}.
 * @param background - Colour of labels the palette lacks (255 = ignore among them); default black.
 * @returns Interleaved RGB, `3 * labels.length` bytes.
 * @throws ValidationError naming the first palette entry (or `background`) that is not an RGB triple.
 */
export function colourizeLabels(
  labels: Uint8Array,
  palette: readonly Rgb[] = CITYSCAPES_PALETTE,
  background: Rgb = BACKGROUND_COLOUR,
): Uint8Array {
  assertRgb('background', background);
  // A 256-entry table makes the per-pixel work one lookup.
  const table = new Uint8Array(256 * 3);
  for (let label = 0; label < 256; label++) {
    const colour = label < palette.length ? palette[label]! : background;
    if (label < palette.length) assertRgb(`palette[${label}]`, colour);
    table.set(colour, label * 3);
  }
  const rgb = new Uint8Array(labels.length * 3);
  for (let p = 0; p < labels.length; p++) {
    const t = labels[p]! * 3;
    rgb[3 * p] = table[t]!;
    rgb[3 * p + 1] = table[t + 1]!;
    rgb[3 * p + 2] = table[t + 2]!;
  }
  return rgb;
}

/**
 * The CityScapes labels table, exactly as published in the official cityscapesScripts
 * (`cityscapesscripts/helpers/labels.py`), with lookup arrays for the conversions training needs.
 *
 * Ground-truth `*_gtFine_labelIds.png` files hold label **ids** (0-33); training uses **train ids** (0-18 for
 * the 19 evaluated classes, {@link IGNORE_TRAIN_ID} for everything else). `*_gtFine_instanceIds.png` holds
 * `labelId * 1000 + index` for pixels of a class with instances and the plain label id elsewhere.
 *
 * @packageDocumentation
 */

/** One row of the CityScapes labels table. */
export interface CityscapesLabel {
  /** Unique class name, e.g. `car`. */
  readonly name: string;
  /** Label id stored in `*_labelIds.png` (-1 for `license plate`, which never appears in ground truth). */
  readonly id: number;
  /** Train id: 0-18 for the 19 training classes, 255 ignored, -1 for `license plate`. */
  readonly trainId: number;
  /** Category name, e.g. `vehicle`. */
  readonly category: string;
  /** Category id (0 void ... 7 vehicle). */
  readonly categoryId: number;
  /** Whether instances of this class are told apart in `*_instanceIds.png`. */
  readonly hasInstances: boolean;
  /** Whether pixels of this class are ignored in the official evaluation. */
  readonly ignoreInEval: boolean;
  /** RGB colour of the class in CityScapes' colour images. */
  readonly color: readonly [number, number, number];
}

/** Builds a frozen row; keeps the table below one line per label, like `labels.py`. */
function label(
  name: string,
  id: number,
  trainId: number,
  category: string,
  categoryId: number,
  hasInstances: boolean,
  ignoreInEval: boolean,
  color: readonly [number, number, number],
): CityscapesLabel {
  return Object.freeze({
    name,
    id,
    trainId,
    category,
    categoryId,
    hasInstances,
    ignoreInEval,
    color: Object.freeze([...color]) as unknown as readonly [number, number, number],
  });
}

/**
 * All 35 rows of the official table, in its order. Why verbatim: label ids in ground-truth files and the
 * train-id mapping every published CityScapes result uses come from this table.
 */
// prettier-ignore
export const CITYSCAPES_LABELS: readonly CityscapesLabel[] = Object.freeze([
  //    name                    id  trainId category        catId hasInst ignore  color
  label('unlabeled',             0, 255, 'void',          0, false, true,  [0, 0, 0]),
  label('ego vehicle',           1, 255, 'void',          0, false, true,  [0, 0, 0]),
  label('rectification border',  2, 255, 'void',          0, false, true,  [0, 0, 0]),
  label('out of roi',            3, 255, 'void',          0, false, true,  [0, 0, 0]),
  label('static',                4, 255, 'void',          0, false, true,  [0, 0, 0]),
  label('dynamic',               5, 255, 'void',          0, false, true,  [111, 74, 0]),
  label('ground',                6, 255, 'void',          0, false, true,  [81, 0, 81]),
  label('road',                  7,   0, 'flat',          1, false, false, [128, 64, 128]),
  label('sidewalk',              8,   1, 'flat',          1, false, false, [244, 35, 232]),
  label('parking',               9, 255, 'flat',          1, false, true,  [250, 170, 160]),
  label('rail track',           10, 255, 'flat',          1, false, true,  [230, 150, 140]),
  label('building',             11,   2, 'construction',  2, false, false, [70, 70, 70]),
  label('wall',                 12,   3, 'construction',  2, false, false, [102, 102, 156]),
  label('fence',                13,   4, 'construction',  2, false, false, [190, 153, 153]),
  label('guard rail',           14, 255, 'construction',  2, false, true,  [180, 165, 180]),
  label('bridge',               15, 255, 'construction',  2, false, true,  [150, 100, 100]),
  label('tunnel',               16, 255, 'construction',  2, false, true,  [150, 120, 90]),
  label('pole',                 17,   5, 'object',        3, false, false, [153, 153, 153]),
  label('polegroup',            18, 255, 'object',        3, false, true,  [153, 153, 153]),
  label('traffic light',        19,   6, 'object',        3, false, false, [250, 170, 30]),
  label('traffic sign',         20,   7, 'object',        3, false, false, [220, 220, 0]),
  label('vegetation',           21,   8, 'nature',        4, false, false, [107, 142, 35]),
  label('terrain',              22,   9, 'nature',        4, false, false, [152, 251, 152]),
  label('sky',                  23,  10, 'sky',           5, false, false, [70, 130, 180]),
  label('person',               24,  11, 'human',         6, true,  false, [220, 20, 60]),
  label('rider',                25,  12, 'human',         6, true,  false, [255, 0, 0]),
  label('car',                  26,  13, 'vehicle',       7, true,  false, [0, 0, 142]),
  label('truck',                27,  14, 'vehicle',       7, true,  false, [0, 0, 70]),
  label('bus',                  28,  15, 'vehicle',       7, true,  false, [0, 60, 100]),
  label('caravan',              29, 255, 'vehicle',       7, true,  true,  [0, 0, 90]),
  label('trailer',              30, 255, 'vehicle',       7, true,  true,  [0, 0, 110]),
  label('train',                31,  16, 'vehicle',       7, true,  false, [0, 80, 100]),
  label('motorcycle',           32,  17, 'vehicle',       7, true,  false, [0, 0, 230]),
  label('bicycle',              33,  18, 'vehicle',       7, true,  false, [119, 11, 32]),
  label('license plate',        -1,  -1, 'vehicle',       7, false, true,  [0, 0, 142]),
]);

/** Train id of every pixel that is not one of the 19 training classes. Why 255: CityScapes' own convention. */
export const IGNORE_TRAIN_ID = 255;

/** Number of training classes (train ids 0-18). Why 19: the classes CityScapes evaluates. */
export const NUM_TRAIN_CLASSES = 19;

/**
 * Instance-id divisor: `instanceId = labelId * 1000 + index` for things. Why 1000: CityScapes' encoding in
 * `*_gtFine_instanceIds.png`; ids below it are plain label ids (stuff, or things not told apart).
 */
export const INSTANCE_ID_DIVISOR = 1000;

/** Size of {@link LABEL_ID_TO_TRAIN_ID}. Why 256: label ids come from 8-bit PNGs, so any byte indexes it. */
const LABEL_ID_LOOKUP_SIZE = 256;

/**
 * `LABEL_ID_TO_TRAIN_ID[labelId]` is the train id (0-18) or {@link IGNORE_TRAIN_ID}. Covers all 256 byte
 * values: ids not in the table map to ignore.
 */
export const LABEL_ID_TO_TRAIN_ID: Readonly<Uint8Array> = (() => {
  const lut = new Uint8Array(LABEL_ID_LOOKUP_SIZE).fill(IGNORE_TRAIN_ID);
  for (const l of CITYSCAPES_LABELS) {
    if (l.id >= 0 && l.trainId >= 0 && l.trainId < NUM_TRAIN_CLASSES) lut[l.id] = l.trainId;
  }
  return lut;
})();

/**
 * The 19 training classes in train-id order (`TRAIN_CLASSES[trainId]`). Why derived (like every lookup below):
 * computed from {@link CITYSCAPES_LABELS}, never typed a second time, so they cannot drift from the table.
 */
export const TRAIN_CLASSES: readonly CityscapesLabel[] = Object.freeze(
  Array.from({ length: NUM_TRAIN_CLASSES }, (_, trainId) => {
    const found = CITYSCAPES_LABELS.find((l) => l.trainId === trainId);
    if (found === undefined) throw new Error(`labels table has no train id ${trainId}`);
    return found;
  }),
);

/** `TRAIN_ID_TO_NAME[trainId]`: class name of each train id 0-18. */
export const TRAIN_ID_TO_NAME: readonly string[] = Object.freeze(TRAIN_CLASSES.map((l) => l.name));

/** `TRAIN_ID_TO_COLOR[trainId]`: RGB colour of each train id 0-18. */
export const TRAIN_ID_TO_COLOR: readonly (readonly [number, number, number])[] = Object.freeze(
  TRAIN_CLASSES.map((l) => l.color),
);

/** Colour drawn for {@link IGNORE_TRAIN_ID} pixels. Why black: the colour of `unlabeled` in the table. */
export const IGNORE_COLOR: readonly [number, number, number] = Object.freeze([
  0, 0, 0,
]) as unknown as readonly [number, number, number];

/**
 * Train ids of the "thing" classes whose pixels get instance offsets: person, rider, car, truck, bus, train,
 * motorcycle, bicycle (the training classes with `hasInstances`).
 */
export const THING_TRAIN_IDS: readonly number[] = Object.freeze(
  TRAIN_CLASSES.filter((l) => l.hasInstances).map((l) => l.trainId),
);

/** `IS_THING_TRAIN_ID[trainId]` is 1 for {@link THING_TRAIN_IDS}, 0 otherwise (incl. 255). */
export const IS_THING_TRAIN_ID: Readonly<Uint8Array> = (() => {
  const lut = new Uint8Array(LABEL_ID_LOOKUP_SIZE);
  for (const t of THING_TRAIN_IDS) lut[t] = 1;
  return lut;
})();

/** Looks up a row by label id (`undefined` when the id is not in the table). */
export function labelById(id: number): CityscapesLabel | undefined {
  return CITYSCAPES_LABELS.find((l) => l.id === id);
}

/** Looks up a row by class name (`undefined` when the name is not in the table). */
export function labelByName(name: string): CityscapesLabel | undefined {
  return CITYSCAPES_LABELS.find((l) => l.name === name);
}

/**
 * Colour of a train id for visualisation: the class colour for 0-18, {@link IGNORE_COLOR} otherwise.
 */
export function trainIdColor(trainId: number): readonly [number, number, number] {
  return TRAIN_ID_TO_COLOR[trainId] ?? IGNORE_COLOR;
}

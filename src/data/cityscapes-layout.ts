/**
 * The CityScapes file layout (see DESIGN.md, "Data"): which files make a sample, in which folder and with
 * which name suffix, and what each is called in messages. The reader reads it and the synthetic generator writes it.
 *
 * @packageDocumentation
 */
import { posix } from 'node:path';

/** The files that belong to an image; `labelIds` etc. are its "partners". */
export type PartnerKind = 'labelIds' | 'instanceIds' | 'disparity' | 'camera';

/**
 * Every partner kind, in the order they are checked and reported. Why this order: the files a training target
 * needs first (labels, instances, disparity), then the camera, which only depth conversion uses.
 */
export const ALL_PARTNERS: readonly PartnerKind[] = Object.freeze([
  'labelIds',
  'instanceIds',
  'disparity',
  'camera',
]);

/** Every file kind of a sample: the image and its partners. */
export type CityscapesFileKind = 'image' | PartnerKind;

/**
 * Folder and file-name suffix of each file kind: `{folder}/{split}/{city}/{name}{suffix}`. Why these
 * strings: CityScapes' own names.
 */
export const CITYSCAPES_LAYOUT: Readonly<Record<CityscapesFileKind, { folder: string; suffix: string }>> =
  Object.freeze({
    image: { folder: 'leftImg8bit', suffix: '_leftImg8bit.png' },
    labelIds: { folder: 'gtFine', suffix: '_gtFine_labelIds.png' },
    instanceIds: { folder: 'gtFine', suffix: '_gtFine_instanceIds.png' },
    disparity: { folder: 'disparity', suffix: '_disparity.png' },
    camera: { folder: 'camera', suffix: '_camera.json' },
  });

/** How each partner is called in messages. Why: messages are read by people who may not know the suffixes. */
export const PARTNER_NOUN: Record<PartnerKind, string> = {
  labelIds: 'label-id map',
  instanceIds: 'instance-id map',
  disparity: 'disparity map',
  camera: 'camera file',
};

/**
 * The folder of the `kind` files of a split, or of one city of it (`{folder}/{split}/{city}`), relative to
 * the dataset root with `/` separators.
 */
export function cityscapesFolder(kind: CityscapesFileKind, split: string, city?: string): string {
  return posix.join(CITYSCAPES_LAYOUT[kind].folder, split, city ?? '');
}

/**
 * The path of the `kind` file of sample `name` (`{folder}/{split}/{city}/{name}{suffix}`), relative to the
 * dataset root with `/` separators.
 */
export function cityscapesFile(kind: CityscapesFileKind, split: string, city: string, name: string): string {
  return posix.join(cityscapesFolder(kind, split, city), name + CITYSCAPES_LAYOUT[kind].suffix);
}

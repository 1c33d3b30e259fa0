/**
 * The CityScapes label ids the synthetic street uses, looked up by name in CityScapes' labels table.
 *
 * @packageDocumentation
 */
import { labelByName } from '../cityscapes-labels.js';

/** The label id of the CityScapes class `name`; fails at import time if the table lacks it. */
function idOf(name: string): number {
  const label = labelByName(name);
  if (label === undefined) throw new RangeError(`CityScapes labels table has no class "${name}"`);
  return label.id;
}

/**
 * CityScapes label ids (the `id` column of the labels table) of every class the generator draws.
 * Why label ids and not train ids: the files follow the CityScapes layout, whose `_labelIds.png` and
 * `_instanceIds.png` hold label ids; train ids are derived from them by the reader.
 */
export const LABEL = Object.freeze({
  road: idOf('road'),
  sidewalk: idOf('sidewalk'),
  building: idOf('building'),
  pole: idOf('pole'),
  trafficLight: idOf('traffic light'),
  trafficSign: idOf('traffic sign'),
  vegetation: idOf('vegetation'),
  terrain: idOf('terrain'),
  sky: idOf('sky'),
  person: idOf('person'),
  car: idOf('car'),
  truck: idOf('truck'),
});

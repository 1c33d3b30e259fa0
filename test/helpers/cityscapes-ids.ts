/**
 * CityScapes class ids by class name, for tests: looked up in the labels table (src/data/cityscapes-labels.ts),
 * so that no test types an id from the table a second time.
 */
import { labelByName, type CityscapesLabel } from '../../src/data/cityscapes-labels.js';

/** The column of the labels table `names` are looked up in, keyed by each class name. */
function column<const N extends string>(
  names: readonly N[],
  pick: (label: CityscapesLabel) => number,
): Readonly<Record<N, number>> {
  const ids = {} as Record<N, number>;
  for (const name of names) {
    const label = labelByName(name);
    if (label === undefined) throw new RangeError(`CityScapes labels table has no class "${name}"`);
    ids[name] = pick(label);
  }
  return Object.freeze(ids);
}

/**
 * Label ids (the values of `*_gtFine_labelIds.png`) of the named classes, e.g. `labelIdsOf('car').car` is 26.
 *
 * @throws RangeError when a name is not in the table.
 */
export function labelIdsOf<const N extends string>(...names: N[]): Readonly<Record<N, number>> {
  return column(names, (label) => label.id);
}

/**
 * Train ids (0-18, what the network predicts) of the named classes, e.g. `trainIdsOf('car').car` is 13.
 *
 * @throws RangeError when a name is not in the table.
 */
export function trainIdsOf<const N extends string>(...names: N[]): Readonly<Record<N, number>> {
  return column(names, (label) => label.trainId);
}

/**
 * Pictures of a learned-weighting row: per task, sigma, the effective weight, s - s* (where reported) and
 * the raw loss over the training steps, every seed a line. Built as vega-lite specs (pure), rendered
 * headless by vega to SVG and by sharp to PNG.
 *
 * @packageDocumentation
 */
import sharp from 'sharp';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { TASKS } from '../model/tasks.js';
import type { RunResult } from './run-result.js';

/** One value of one task at one curve point of one seed. */
export interface CurveRecord {
  step: number;
  seed: string;
  task: string;
  quantity: CurveQuantity;
  value: number;
}

/** What a panel shows. */
export type CurveQuantity = 'sigma' | 'effective weight' | 's - s*' | 'raw loss';

/** Panels in display order, with the y scale each needs. Why log for losses: they span decades. */
const PANELS: readonly { quantity: CurveQuantity; log: boolean }[] = [
  { quantity: 'sigma', log: false },
  { quantity: 'effective weight', log: true },
  { quantity: 's - s*', log: false },
  { quantity: 'raw loss', log: true },
];

/** Size of one panel in CSS pixels (before the PNG's 2x rendering). */
const PANEL = { width: 520, height: 150 };

/** The curves of some runs (the seeds of one row) as flat records, one per task, quantity and point. */
export function curveRecords(results: readonly RunResult[]): CurveRecord[] {
  return results.flatMap((result) =>
    result.curve.flatMap((point) =>
      TASKS.flatMap((task) => {
        const values: [CurveQuantity, number | undefined][] = [
          ['sigma', point.sigmas?.[task]],
          ['effective weight', point.weights[task]],
          ['s - s*', point.logVarianceGaps?.[task]],
          ['raw loss', point.losses[task]],
        ];
        return values
          .filter(
            (entry): entry is [CurveQuantity, number] => entry[1] !== undefined && Number.isFinite(entry[1]),
          )
          .map(([quantity, value]) => ({
            step: point.step,
            seed: `seed ${result.seed}`,
            task,
            quantity,
            value,
          }));
      }),
    ),
  );
}

/**
 * A vega-lite spec of a row's curves: one panel per quantity the runs report (sigma and s - s* only
 * where learned), a colour per task, a dash per seed.
 */
export function curveChartSpec(title: string, records: readonly CurveRecord[]): TopLevelSpec {
  const panels = PANELS.filter((panel) =>
    records.some((r) => r.quantity === panel.quantity && (!panel.log || r.value > 0)),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    data: { values: records.map((r) => ({ ...r })) },
    vconcat: panels.map((panel) => ({
      width: PANEL.width,
      height: PANEL.height,
      transform: [
        { filter: { field: 'quantity', equal: panel.quantity } },
        ...(panel.log ? [{ filter: 'datum.value > 0' }] : []),
      ],
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step' },
        y: {
          field: 'value',
          type: 'quantitative',
          title: panel.quantity,
          scale: panel.log ? { type: 'log' } : { zero: false },
        },
        color: { field: 'task', type: 'nominal', sort: [...TASKS], title: 'task' },
        strokeDash: { field: 'seed', type: 'nominal', title: 'seed' },
      },
    })),
    resolve: { scale: { color: 'shared', strokeDash: 'shared' } },
  } as TopLevelSpec;
}

/** Renders a vega-lite spec headless (vega, SVG) and converts it to a PNG (sharp) at twice its size. */
export async function renderChartPng(spec: TopLevelSpec): Promise<Buffer> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG(2);
    return await sharp(Buffer.from(svg)).png().toBuffer();
  } finally {
    view.finalize();
  }
}

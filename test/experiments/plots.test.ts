import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import {
  curveChartSpec,
  curveRecords,
  renderChartPng,
  type CurvePoint,
  type RunResult,
} from '../../src/experiments/index.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function run(seed: number, learned: boolean): RunResult {
  const curve: CurvePoint[] = [10, 20, 30].map((step) => {
    const s = { segmentation: (-0.1 * step) / 10, instances: (0.5 * step) / 10, depth: -0.2 };
    return {
      step,
      losses: { segmentation: 2 / step, instances: 80 / step, depth: 5 / step },
      weights: {
        segmentation: Math.exp(-s.segmentation),
        instances: 0.5 * Math.exp(-s.instances),
        depth: 0.5 * Math.exp(-s.depth),
      },
      ...(learned
        ? {
            logVariances: s,
            sigmas: {
              segmentation: Math.exp(s.segmentation / 2),
              instances: Math.exp(s.instances / 2),
              depth: Math.exp(s.depth / 2),
            },
            logVarianceGaps: { segmentation: 0.1, instances: -0.2, depth: 0.05 * seed },
          }
        : {}),
    };
  });
  return { seed, curve } as unknown as RunResult;
}

test('curve records: one per task, quantity and point; sigma and s - s* only where reported', () => {
  const learned = curveRecords([run(1, true), run(2, true)]);
  // 2 seeds x 3 points x 3 tasks x 4 quantities.
  assert.equal(learned.length, 72);
  assert.deepEqual(learned[0], {
    step: 10,
    seed: 'seed 1',
    task: 'segmentation',
    quantity: 'sigma',
    value: Math.exp(-0.05),
  });
  const plain = curveRecords([run(1, false)]);
  assert.deepEqual([...new Set(plain.map((r) => r.quantity))], ['effective weight', 'raw loss']);
});

test('a row’s curves render to a PNG through vega-lite, vega and sharp, a panel per quantity', async () => {
  const learned = await renderChartPng(
    curveChartSpec('uncertainty', curveRecords([run(1, true), run(2, true)])),
  );
  const plain = await renderChartPng(curveChartSpec('DWA', curveRecords([run(1, false)])));
  for (const png of [learned, plain]) {
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    const meta = await sharp(png).metadata();
    assert.equal(meta.format, 'png');
    // Each panel is 520 x 150 CSS px, drawn at 2x; axes, title and legend add to it.
    assert.ok(meta.width! >= 2 * 520 && meta.width! < 2 * 520 + 600, `width ${meta.width}`);
  }
  const [a, b] = await Promise.all([sharp(learned).metadata(), sharp(plain).metadata()]);
  // Four panels (sigma, weight, s - s*, loss) against two (weight, loss): two more panels of 2 x 150 px.
  assert.ok(a.height! - b.height! >= 2 * 2 * 150, `${a.height} vs ${b.height}`);
  assert.ok(b.height! >= 2 * 2 * 150 && b.height! < 2 * 2 * 150 + 500, `height ${b.height}`);
  // Not a blank canvas: the lines are drawn in colour.
  const { data, info } = await sharp(learned).raw().toBuffer({ resolveWithObject: true });
  let coloured = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    const [r, g, bl] = [data[i]!, data[i + 1]!, data[i + 2]!];
    if (Math.max(r, g, bl) - Math.min(r, g, bl) > 60) coloured++;
  }
  assert.ok(coloured > 1000, `${coloured} coloured pixels`);
});

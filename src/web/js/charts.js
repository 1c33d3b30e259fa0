/**
 * Line charts over uPlot: one {@link LineChart} per quantity (raw loss per task, sigma per task, ...), fed
 * point by point as the job's events arrive. Every chart is registered in `window.__dashboard.charts` by its
 * id, so a test (or a curious person in the console) can read exactly the data drawn.
 */
import uPlot from '/vendor/uplot/uPlot.esm.js';

/** Series colours, colour-blind safe (Okabe-Ito), in task order. */
export const SERIES_COLOURS = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
];

/** Chart height in px. Why fixed: the box never grows while points stream in, so nothing below it moves. */
const CHART_HEIGHT = 230;

/** A y tick as a person reads it: three significant digits (uPlot's default shows 0.00095 as 0.001). */
export function tickLabel(value) {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e4 || abs < 1e-3 ? value.toExponential(1) : String(Number(value.toPrecision(3)));
}

/** Registry the tests read. */
function registry() {
  window.__dashboard ??= { charts: {} };
  return window.__dashboard.charts;
}

/** A live line chart: x values and one y series per name. */
export class LineChart {
  /**
   * @param {HTMLElement} container - Element that receives the chart (its width is used).
   * @param {{ id: string, title: string, xLabel: string, series: string[], log?: boolean }} options
   */
  constructor(container, options) {
    this.id = options.id;
    this.names = options.series;
    this.data = [[], ...this.names.map(() => [])];
    this.box = document.createElement('section');
    this.box.className = 'chart';
    this.box.setAttribute('aria-label', options.title);
    this.box.dataset.chart = options.id;
    const title = document.createElement('h3');
    title.textContent = options.title;
    this.box.append(title);
    container.append(this.box);
    const width = Math.max(200, this.box.clientWidth - 16);
    this.plot = new uPlot(
      {
        width,
        height: CHART_HEIGHT,
        scales: { x: { time: false }, y: options.log ? { distr: 3 } : {} },
        axes: [
          { label: options.xLabel, stroke: 'currentColor', grid: { stroke: '#8884' } },
          {
            stroke: 'currentColor',
            grid: { stroke: '#8884' },
            size: 60,
            values: (_u, ticks) => ticks.map(tickLabel),
          },
        ],
        series: [
          { label: options.xLabel },
          ...this.names.map((name, i) => ({
            label: name,
            stroke: SERIES_COLOURS[i % SERIES_COLOURS.length],
            width: 1.5,
            spanGaps: true,
          })),
        ],
      },
      this.data,
      this.box,
    );
    this.resize = () =>
      this.plot.setSize({ width: Math.max(200, this.box.clientWidth - 16), height: CHART_HEIGHT });
    window.addEventListener('resize', this.resize);
    registry()[this.id] = this;
  }

  /**
   * Adds a point (or replaces the one at the same x, so a replayed event does not duplicate it).
   * @param {number} x
   * @param {Record<string, number | undefined>} values - y by series name; missing ones stay gaps.
   */
  push(x, values) {
    const xs = this.data[0];
    let at = xs.length;
    while (at > 0 && xs[at - 1] > x) at--;
    const replace = at > 0 && xs[at - 1] === x;
    const index = replace ? at - 1 : at;
    if (!replace) xs.splice(index, 0, x);
    this.names.forEach((name, i) => {
      const v = values[name];
      const y = typeof v === 'number' && Number.isFinite(v) ? v : null;
      // Why only the given names: overlaid runs share x values, and one run's point must not erase another's.
      if (replace) {
        if (name in values) this.data[i + 1][index] = y;
      } else this.data[i + 1].splice(index, 0, y);
    });
    this.plot.setData(this.data);
  }

  /** Points drawn so far. */
  get length() {
    return this.data[0].length;
  }

  /** Removes the chart. */
  destroy() {
    window.removeEventListener('resize', this.resize);
    this.plot.destroy();
    this.box.remove();
    delete registry()[this.id];
  }
}

/** Destroys every registered chart (when leaving a page). */
export function destroyCharts() {
  for (const chart of Object.values(registry())) chart.destroy();
}

// @ts-check
/**
 * A line chart on uPlot in "faceted" mode (mode 2): each series has its own x values, so runs
 * logged at different steps or times need no joined table. Drag to zoom, double-click to
 * reset. Hover reports the x under the cursor to the caller, who shows the values.
 * @module
 */
import uPlot from 'uplot';

/**
 * @typedef {object} LineSeries
 * @property {string} label
 * @property {string} color
 * @property {ArrayLike<number>} xs
 * @property {ArrayLike<number | null>} ys
 * @property {number} [width]
 * @property {number} [alpha]   stroke opacity (the raw line under a smoothed one is faint)
 * @property {number[]} [dash]
 */

/**
 * @typedef {object} LineChartOptions
 * @property {LineSeries[]} series
 * @property {boolean} [xTime]   x values are seconds since the epoch
 * @property {boolean} [logY]
 * @property {boolean} [logX]
 * @property {number} [height]
 * @property {[number, number]} [xRange]
 * @property {[number, number]} [yRange]
 * @property {(x: number | null) => void} [onHover]  x under the cursor, null when it leaves
 * @property {(v: number) => string} [xFormat]
 */

/**
 * Index of the x nearest to `x` in a sorted array.
 * @param {ArrayLike<number>} xs
 * @param {number} x
 */
export function nearestIndex(xs, x) {
  let lo = 0;
  let hi = xs.length - 1;
  if (hi < 0) return -1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid;
    else hi = mid;
  }
  return Math.abs(xs[lo] - x) <= Math.abs(xs[hi] - x) ? lo : hi;
}

const dots = /** @type {NonNullable<typeof uPlot.paths.points>} */ (uPlot.paths.points)();

/**
 * @param {string} color
 * @param {number} alpha
 */
function withAlpha(color, alpha) {
  if (alpha >= 1 || !color.startsWith('#') || color.length !== 7) return color;
  return color + Math.round(alpha * 255).toString(16).padStart(2, '0');
}

/**
 * Draws a chart into `el` (which it fills in width).
 * @param {HTMLElement} el
 * @param {LineChartOptions} opts
 * @returns {{ u: uPlot, destroy: () => void }}
 */
export function lineChart(el, opts) {
  const width = Math.max(200, el.clientWidth || 400);
  const height = opts.height ?? 240;
  /** @type {uPlot.Series[]} */
  const series = [{}];
  /** @type {any[]} */
  const data = [null];
  for (const s of opts.series) {
    series.push({
      label: s.label,
      stroke: withAlpha(s.color, s.alpha ?? 1),
      width: s.width ?? 1.5,
      dash: s.dash,
      // @ts-ignore facets exist in mode 2
      facets: [
        { scale: 'x', auto: true },
        { scale: 'y', auto: true },
      ],
      paths: uPlot.paths.linear?.(),
      // a series of a few points would be invisible as a line: mark them
      points: {
        show: s.xs.length <= 20 && (s.alpha ?? 1) === 1,
        size: 6,
        fill: s.color,
        stroke: s.color,
        // uPlot's index window comes from data[0], which mode 2 does not have: draw them all
        paths: (u, si, _i0, _i1, filtIdxs) => dots(u, si, 0, s.xs.length - 1, filtIdxs),
      },
      spanGaps: true,
    });
    data.push([s.xs, s.ys]);
  }
  // one x value (a single step) gives uPlot an empty x range: widen it around the value
  let xRange = opts.xRange;
  if (!xRange) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of opts.series) for (let i = 0; i < s.xs.length; i++) (lo = Math.min(lo, s.xs[i])), (hi = Math.max(hi, s.xs[i]));
    if (lo === hi) xRange = opts.xTime ? [lo - 60, hi + 60] : [lo - 1, hi + 1];
  }
  const axisColor = '#666';
  /** @type {uPlot.Options} */
  const options = {
    mode: 2,
    width,
    height,
    legend: { show: false },
    scales: {
      x: { time: !!opts.xTime, auto: !xRange, range: xRange, distr: opts.logX ? 3 : 1 },
      y: { auto: !opts.yRange, range: opts.yRange, distr: opts.logY ? 3 : 1 },
    },
    axes: [
      { stroke: axisColor, grid: { stroke: '#eee' }, ticks: { stroke: '#ddd' }, ...(opts.xFormat ? { values: (_u, vals) => vals.map((v) => (v == null ? '' : /** @type {(v: number) => string} */ (opts.xFormat)(v))) } : {}) },
      { stroke: axisColor, grid: { stroke: '#eee' }, ticks: { stroke: '#ddd' }, size: 55 },
    ],
    cursor: {
      drag: { x: true, y: false, setScale: true },
      points: { show: false },
      // nearest point of each series to the cursor's x
      dataIdx: (u, si) => {
        if (si === 0) return 0;
        const left = u.cursor.left ?? -1;
        if (left < 0) return null;
        const xs = /** @type {any} */ (u.data[si])[0];
        const i = nearestIndex(xs, u.posToVal(left, 'x'));
        return i < 0 ? null : i;
      },
    },
    series,
    hooks: {
      setCursor: [
        (u) => {
          if (!opts.onHover) return;
          const left = u.cursor.left ?? -1;
          opts.onHover(left < 0 ? null : u.posToVal(left, 'x'));
        },
      ],
    },
  };
  const u = new uPlot(options, data, el);
  const ro = new ResizeObserver(() => {
    const w = el.clientWidth;
    if (w > 0 && Math.abs(w - u.width) > 2) u.setSize({ width: w, height });
  });
  ro.observe(el);
  return {
    u,
    destroy() {
      ro.disconnect();
      u.destroy();
    },
  };
}

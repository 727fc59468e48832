/** Small hand-written SVG charts for docs/benchmarks.md (no chart library): grouped bars and lines. */

export interface Series {
  readonly name: string;
  readonly values: ReadonlyArray<number | null>;
}

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#9c755f'];
const W = 720;
const H = 340;
const M = { top: 40, right: 170, bottom: 50, left: 70 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) =>
  v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2);

function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

function frame(title: string, yLabel: string, body: string[], legend: readonly string[]): string {
  const items = legend.map(
    (name, i) =>
      `<rect x="${W - M.right + 15}" y="${M.top + i * 20}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>` +
      `<text x="${W - M.right + 32}" y="${M.top + i * 20 + 10}" font-size="12">${esc(name)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2 - M.right / 2}" y="22" font-size="15" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
    `<text x="16" y="${(M.top + H - M.bottom) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${(M.top + H - M.bottom) / 2})">${esc(yLabel)}</text>`,
    ...body,
    ...items,
    '</svg>',
    '',
  ].join('\n');
}

function yAxis(max: number, log: boolean, minLog: number): { y: (v: number) => number; ticks: string[] } {
  const plotH = H - M.top - M.bottom;
  const lo = log ? Math.log10(minLog) : 0;
  const hi = log ? Math.log10(max) : max;
  const y = (v: number) =>
    M.top + plotH - (((log ? Math.log10(Math.max(v, minLog)) : v) - lo) / (hi - lo || 1)) * plotH;
  const values = log
    ? Array.from({ length: Math.round(hi - lo) + 1 }, (_, i) => 10 ** (lo + i))
    : Array.from({ length: 6 }, (_, i) => (max * i) / 5);
  const ticks = values.map(
    (v) =>
      `<line x1="${M.left}" x2="${W - M.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>` +
      `<text x="${M.left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${fmt(v)}</text>`,
  );
  return { y, ticks };
}

/** Grouped bars: one group per category, one bar per series. `log` for values spanning decades. */
export function barChart(
  title: string,
  yLabel: string,
  categories: readonly string[],
  series: readonly Series[],
  log = false,
): string {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const max = log ? 10 ** Math.ceil(Math.log10(Math.max(...all, 1))) : niceMax(Math.max(...all, 0));
  const minLog = log
    ? 10 ** Math.floor(Math.log10(Math.max(Math.min(...all.filter((v) => v > 0), max), 1e-3)))
    : 0;
  const { y, ticks } = yAxis(max, log, minLog);
  const plotW = W - M.left - M.right;
  const groupW = plotW / Math.max(1, categories.length);
  const barW = (groupW * 0.8) / Math.max(1, series.length);
  const bars: string[] = [];
  categories.forEach((cat, c) => {
    const x0 = M.left + c * groupW + groupW * 0.1;
    series.forEach((s, i) => {
      const v = s.values[c];
      if (v === null || v === undefined || !Number.isFinite(v)) return;
      const top = y(v);
      bars.push(
        `<rect x="${x0 + i * barW}" y="${top}" width="${barW - 2}" height="${Math.max(0, H - M.bottom - top)}" fill="${COLORS[i % COLORS.length]}"><title>${esc(`${s.name} ${cat}: ${fmt(v)}`)}</title></rect>`,
      );
    });
    bars.push(
      `<text x="${x0 + groupW * 0.4}" y="${H - M.bottom + 16}" font-size="11" text-anchor="middle">${esc(cat)}</text>`,
    );
  });
  const axis = `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`;
  return frame(
    title,
    yLabel + (log ? ' (log scale)' : ''),
    [...ticks, axis, ...bars],
    series.map((s) => s.name),
  );
}

/** Lines over a numeric x (log10 x when `logX`), with points; y optionally log. */
export function lineChart(
  title: string,
  yLabel: string,
  xLabel: string,
  xs: readonly number[],
  series: readonly Series[],
  logX = true,
  logY = true,
): string {
  const all = series.flatMap((s) =>
    s.values.filter((v): v is number => v !== null && Number.isFinite(v) && v > 0),
  );
  const max = logY ? 10 ** Math.ceil(Math.log10(Math.max(...all, 1))) : niceMax(Math.max(...all, 0));
  const minLog = logY ? 10 ** Math.floor(Math.log10(Math.max(Math.min(...all, max), 1e-3))) : 0;
  const { y, ticks } = yAxis(max, logY, minLog);
  const plotW = W - M.left - M.right;
  const tx = (v: number) => (logX ? Math.log10(v) : v);
  const lo = Math.min(...xs.map(tx));
  const hi = Math.max(...xs.map(tx));
  const x = (v: number) => M.left + 30 + ((tx(v) - lo) / (hi - lo || 1)) * (plotW - 60);
  const body: string[] = [...ticks];
  body.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`,
  );
  for (const v of xs)
    body.push(
      `<text x="${x(v)}" y="${H - M.bottom + 16}" font-size="11" text-anchor="middle">${v.toLocaleString('en-US')}</text>`,
    );
  body.push(
    `<text x="${M.left + plotW / 2}" y="${H - 12}" font-size="12" text-anchor="middle">${esc(xLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length] ?? '#333';
    const points = xs.flatMap((xv, k) => {
      const v = s.values[k];
      return v === null || v === undefined || !Number.isFinite(v) || (logY && v <= 0)
        ? []
        : [[x(xv), y(v), v] as const];
    });
    if (points.length > 1)
      body.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map(([a, b]) => `${a},${b}`).join(' ')}"/>`,
      );
    for (const [a, b, v] of points)
      body.push(
        `<circle cx="${a}" cy="${b}" r="3.5" fill="${color}"><title>${esc(`${s.name}: ${fmt(v)}`)}</title></circle>`,
      );
  });
  return frame(
    title,
    yLabel + (logY ? ' (log scale)' : ''),
    body,
    series.map((s) => s.name),
  );
}

/**
 * Hand-written SVG charts for docs/evaluation.md and docs/benchmarks.md (no browser, no chart
 * library). Pure: each function returns the SVG text of one standalone document.
 *
 * - `barChartSvg`: horizontal bars, one group per configuration, under a caption that states the
 *   data, its source and the command that produced it (the evaluation charts).
 * - `columnChartSvg`: vertical grouped bars, optionally on a log scale (the benchmark charts).
 * - `lineChartSvg`: lines with points over a numeric x, log10 axes by default (benchmark scaling).
 *
 * A missing value (null, NaN, ±Infinity) draws nothing: no bar, no point ("n/a" in `barChartSvg`).
 */

export interface ChartSeries {
  readonly name: string;
  /** One value per category (or per x). */
  readonly values: ReadonlyArray<number | null>;
}

export interface BarChartSpec {
  readonly title: string;
  /** Lines under the title: data, source, command. */
  readonly caption: readonly string[];
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  /** Axis maximum (default: the largest value, at least 1e-9). */
  readonly max?: number;
  readonly digits?: number;
}

export interface ColumnChartSpec {
  readonly title: string;
  readonly yLabel: string;
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  /** A log10 y axis, for values spanning decades. */
  readonly log?: boolean;
}

export interface LineChartSpec {
  readonly title: string;
  readonly yLabel: string;
  readonly xLabel: string;
  readonly xs: readonly number[];
  readonly series: readonly ChartSeries[];
  /** Default true. */
  readonly logX?: boolean;
  /** Default true; values ≤ 0 are then not drawn. */
  readonly logY?: boolean;
}

/*
 * Each chart kind keeps the palette its committed charts were drawn with, so re-rendering
 * docs/ from the committed results changes nothing: Observable 10 for the evaluation's
 * horizontal bars, Tableau 10 for the benchmarks' columns and lines.
 */
const OBSERVABLE_10 = [
  '#4269d0',
  '#efb118',
  '#ff725c',
  '#6cc5b0',
  '#3ca951',
  '#ff8ab7',
  '#a463f2',
  '#97bbf5',
];
const TABLEAU_10 = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#9c755f'];
const colour = (palette: readonly string[], i: number): string => palette[i % palette.length] ?? '#333';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const isDrawable = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

// ---- horizontal bars (evaluation) ----

export function barChartSvg(spec: BarChartSpec): string {
  const digits = spec.digits ?? 3;
  const labelWidth = 300;
  const plotWidth = 420;
  const barHeight = 14;
  const groupGap = 10;
  const left = 10;
  const headerLines = 1 + spec.caption.length;
  const top = 20 + headerLines * 16 + 10 + (spec.series.length > 1 ? 20 : 0);
  const groupHeight = spec.series.length * barHeight + groupGap;
  const height = top + spec.categories.length * groupHeight + 30;
  const width = left + labelWidth + plotWidth + 70;
  const max = spec.max ?? Math.max(1e-9, ...spec.series.flatMap((s) => s.values.filter(isDrawable)));
  const x0 = left + labelWidth;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${escapeXml(spec.title)}</text>`,
  );
  spec.caption.forEach((line, i) =>
    parts.push(`<text x="${left}" y="${38 + i * 16}" fill="#444444">${escapeXml(line)}</text>`),
  );
  if (spec.series.length > 1) {
    let lx = x0;
    const ly = top - 16;
    spec.series.forEach((s, i) => {
      parts.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${colour(OBSERVABLE_10, i)}"/>`);
      parts.push(`<text x="${lx + 14}" y="${ly}">${escapeXml(s.name)}</text>`);
      lx += 24 + s.name.length * 6;
    });
  }
  // Grid at quarters of the axis.
  for (let q = 0; q <= 4; q += 1) {
    const x = x0 + (plotWidth * q) / 4;
    parts.push(`<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${height - 24}" stroke="#dddddd"/>`);
    parts.push(
      `<text x="${x}" y="${height - 10}" text-anchor="middle" fill="#666666">${((max * q) / 4).toFixed(2)}</text>`,
    );
  }
  spec.categories.forEach((category, ci) => {
    const gy = top + ci * groupHeight;
    const label = category.length > 52 ? `${category.slice(0, 51)}…` : category;
    parts.push(
      `<text x="${x0 - 6}" y="${gy + (spec.series.length * barHeight) / 2 + 4}" text-anchor="end">${escapeXml(label)}</text>`,
    );
    spec.series.forEach((s, si) => {
      const value = s.values[ci];
      const y = gy + si * barHeight;
      if (isDrawable(value)) {
        const w = Math.max(0, Math.min(1, value / max)) * plotWidth;
        parts.push(
          `<rect x="${x0}" y="${y}" width="${w.toFixed(1)}" height="${barHeight - 2}" fill="${colour(OBSERVABLE_10, si)}"/>`,
        );
        parts.push(
          `<text x="${(x0 + w + 4).toFixed(1)}" y="${y + barHeight - 4}" fill="#222222">${value.toFixed(digits)}</text>`,
        );
      } else {
        parts.push(`<text x="${x0 + 4}" y="${y + barHeight - 4}" fill="#999999">n/a</text>`);
      }
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

// ---- columns and lines on a shared frame (benchmarks) ----

const W = 720;
const H = 340;
const M = { top: 40, right: 170, bottom: 50, left: 70 };

const formatTick = (v: number) =>
  v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2);

/** The smallest of 1, 2, 2.5, 5, 10 × a power of ten that is at least `max`. */
function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/**
 * Bounds of a y axis over `values`: on a log axis whole decades around the positive values (the
 * lowest at least 1e-3), otherwise from 0 to a nice maximum (`minLog` is then unused).
 */
function yRange(values: readonly number[], log: boolean): { max: number; minLog: number } {
  const max = log ? 10 ** Math.ceil(Math.log10(Math.max(...values, 1))) : niceMax(Math.max(...values, 0));
  const lowest = Math.min(...values.filter((v) => v > 0), max);
  const minLog = log ? 10 ** Math.floor(Math.log10(Math.max(lowest, 1e-3))) : 0;
  return { max, minLog };
}

function frame(title: string, yLabel: string, body: string[], legend: readonly string[]): string {
  const items = legend.map(
    (name, i) =>
      `<rect x="${W - M.right + 15}" y="${M.top + i * 20}" width="12" height="12" fill="${colour(TABLEAU_10, i)}"/>` +
      `<text x="${W - M.right + 32}" y="${M.top + i * 20 + 10}" font-size="12">${escapeXml(name)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2 - M.right / 2}" y="22" font-size="15" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="16" y="${(M.top + H - M.bottom) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${(M.top + H - M.bottom) / 2})">${escapeXml(yLabel)}</text>`,
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
      `<text x="${M.left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${formatTick(v)}</text>`,
  );
  return { y, ticks };
}

const xAxisLine = `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`;

/** Grouped vertical bars: one group per category, one bar per series. */
export function columnChartSvg(spec: ColumnChartSpec): string {
  const { title, yLabel, categories, series, log = false } = spec;
  const all = series.flatMap((s) => s.values.filter(isDrawable));
  const { max, minLog } = yRange(all, log);
  const { y, ticks } = yAxis(max, log, minLog);
  const plotW = W - M.left - M.right;
  const groupW = plotW / Math.max(1, categories.length);
  const barW = (groupW * 0.8) / Math.max(1, series.length);
  const bars: string[] = [];
  categories.forEach((cat, c) => {
    const x0 = M.left + c * groupW + groupW * 0.1;
    series.forEach((s, i) => {
      const v = s.values[c];
      if (!isDrawable(v)) return;
      const top = y(v);
      bars.push(
        `<rect x="${x0 + i * barW}" y="${top}" width="${barW - 2}" height="${Math.max(0, H - M.bottom - top)}" fill="${colour(TABLEAU_10, i)}"><title>${escapeXml(`${s.name} ${cat}: ${formatTick(v)}`)}</title></rect>`,
      );
    });
    bars.push(
      `<text x="${x0 + groupW * 0.4}" y="${H - M.bottom + 16}" font-size="11" text-anchor="middle">${escapeXml(cat)}</text>`,
    );
  });
  return frame(
    title,
    yLabel + (log ? ' (log scale)' : ''),
    [...ticks, xAxisLine, ...bars],
    series.map((s) => s.name),
  );
}

/** Lines with points over a numeric x. */
export function lineChartSvg(spec: LineChartSpec): string {
  const { title, yLabel, xLabel, xs, series, logX = true, logY = true } = spec;
  const all = series.flatMap((s) => s.values.filter((v): v is number => isDrawable(v) && v > 0));
  const { max, minLog } = yRange(all, logY);
  const { y, ticks } = yAxis(max, logY, minLog);
  const plotW = W - M.left - M.right;
  const tx = (v: number) => (logX ? Math.log10(v) : v);
  const lo = Math.min(...xs.map(tx));
  const hi = Math.max(...xs.map(tx));
  const x = (v: number) => M.left + 30 + ((tx(v) - lo) / (hi - lo || 1)) * (plotW - 60);
  const body: string[] = [...ticks, xAxisLine];
  for (const v of xs)
    body.push(
      `<text x="${x(v)}" y="${H - M.bottom + 16}" font-size="11" text-anchor="middle">${v.toLocaleString('en-US')}</text>`,
    );
  body.push(
    `<text x="${M.left + plotW / 2}" y="${H - 12}" font-size="12" text-anchor="middle">${escapeXml(xLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const color = colour(TABLEAU_10, i);
    const points = xs.flatMap((xv, k) => {
      const v = s.values[k];
      return !isDrawable(v) || (logY && v <= 0) ? [] : [[x(xv), y(v), v] as const];
    });
    if (points.length > 1)
      body.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map(([a, b]) => `${a},${b}`).join(' ')}"/>`,
      );
    for (const [a, b, v] of points)
      body.push(
        `<circle cx="${a}" cy="${b}" r="3.5" fill="${color}"><title>${escapeXml(`${s.name}: ${formatTick(v)}`)}</title></circle>`,
      );
  });
  return frame(
    title,
    yLabel + (logY ? ' (log scale)' : ''),
    body,
    series.map((s) => s.name),
  );
}

/** The first markdown table in `markdown`: header cells and body rows (cells trimmed, `**` removed). */
export function parseMarkdownTable(markdown: string): { headers: string[]; rows: string[][] } | null {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith('|'));
  if (start < 0) return null;
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split(/(?<!\\)\|/)
      .map((c) => c.replace(/\\\|/g, '|').replace(/\*\*/g, '').trim());
  const block: string[] = [];
  for (let i = start; i < lines.length && lines[i]!.trim().startsWith('|'); i += 1) block.push(lines[i]!);
  if (block.length < 2) return null;
  return { headers: cells(block[0]!), rows: block.slice(2).map(cells) };
}

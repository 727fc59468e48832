/**
 * Hand-written SVG charts for docs/evaluation.md (no browser, no dependency): a horizontal bar
 * chart with one bar per configuration and series, and a caption that states the data, its
 * source and the command that produced it. Pure: returns the SVG text.
 */

export interface BarSeries {
  readonly name: string;
  /** One value per category; NaN / null draws no bar and prints "n/a". */
  readonly values: ReadonlyArray<number | null>;
}

export interface BarChartSpec {
  readonly title: string;
  /** Lines under the title: data, source, command. */
  readonly caption: readonly string[];
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
  /** Axis maximum (default: the largest value, at least 1e-9). */
  readonly max?: number;
  readonly digits?: number;
}

const PALETTE = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5'];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const valid = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

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
  const max = spec.max ?? Math.max(1e-9, ...spec.series.flatMap((s) => s.values.filter(valid)));
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
      parts.push(
        `<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/>`,
      );
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
      if (valid(value)) {
        const w = Math.max(0, Math.min(1, value / max)) * plotWidth;
        parts.push(
          `<rect x="${x0}" y="${y}" width="${w.toFixed(1)}" height="${barHeight - 2}" fill="${PALETTE[si % PALETTE.length]}"/>`,
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

/** Plain-text table and number formatting for the benchmark's output. */

/** Formats milliseconds: `1234 ms` or `1.23 s`. */
export function ms(value: number | null): string {
  if (value === null) return '-';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`;
}

/** Formats KiB as MiB. */
export function rss(kb: number | null): string {
  return kb === null ? '-' : `${(kb / 1024).toFixed(0)} MiB`;
}

/** A left-aligned table with a header row and a rule under it. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

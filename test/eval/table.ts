/** A plain text table: first row the header, numbers right-aligned. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const numeric = (s: string) => /^[-+]?[\d.]+(×| ms|%)?$/.test(s) || s === 'n/a';
  const lines = rows.map((r) => r.map((cell, c) => (c > 0 && numeric(cell) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n');
}

export const fixed = (x: number | undefined, digits = 3): string => (x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits));

/** A target check: a figure, the target it is held to, and whether it meets it. */
export interface Check {
  metric: string;
  value: number;
  /** Shown as e.g. "≥ 1.5×" or "< 100 ms". */
  target: string;
  met: boolean;
  digits?: number;
  unit?: string;
}

export function check(metric: string, value: number, op: '≥' | '≤' | '<', bound: number, unit = '', digits = 3): Check {
  const met = Number.isFinite(value) && (op === '≥' ? value >= bound : op === '≤' ? value <= bound : value < bound);
  return { metric, value, target: `${op} ${bound}${unit}`, met, digits, unit };
}

export function checksTable(checks: Check[]): string {
  return formatTable([
    ['figure', 'value', 'target', 'met'],
    ...checks.map((c) => [c.metric, `${fixed(c.value, c.digits)}${c.unit ?? ''}`, c.target, c.met ? 'yes' : 'NO']),
  ]);
}

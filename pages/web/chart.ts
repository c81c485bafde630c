/// <reference lib="dom" />
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { day, html } from './ui.ts';

export interface Series {
  label: string;
  values: number[];
}

const COLOURS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7480'];

/**
 * A line chart (uPlot) over time, with the same figures in a table for screen readers and for
 * people who would rather read: the picture is aria-hidden, the table is not.
 */
export function LineChart({ title, x, series, unit = 'day' }: { title: string; x: number[]; series: Series[]; unit?: 'day' | 'time' }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || x.length === 0) return;
    const width = Math.max(280, Math.min(el.clientWidth || 640, 900));
    const plot = new uPlot(
      {
        width,
        height: 220,
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2 }))],
        axes: [{}, {}],
        scales: { x: { time: true } },
        legend: { show: true },
      },
      [x, ...series.map((s) => s.values)],
      el,
    );
    return () => plot.destroy();
  }, [x, series]);
  const label = (t: number) => (unit === 'day' ? day(t) : new Date(t * 1000).toLocaleTimeString());
  return html`
    <figure class="chart">
      <figcaption>${title}</figcaption>
      <div ref=${box} aria-hidden="true"></div>
      <details>
        <summary>${title}: the figures</summary>
        <div class="scroll" tabindex="0" role="region" aria-label=${`${title}: table`}>
          <table>
            <thead><tr><th scope="col">${unit === 'day' ? 'Day' : 'Time'}</th>${series.map((s) => html`<th scope="col">${s.label}</th>`)}</tr></thead>
            <tbody>${x.map((t, i) => html`<tr><th scope="row">${label(t)}</th>${series.map((s) => html`<td>${Math.round((s.values[i] ?? 0) * 100) / 100}</td>`)}</tr>`)}</tbody>
          </table>
        </div>
      </details>
    </figure>
  `;
}

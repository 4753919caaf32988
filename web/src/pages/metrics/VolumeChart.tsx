// A bar chart of counts (volume by hour or weekday) drawn with uPlot; the numbers are also in a
// table for screen readers and for anyone who prefers to read them.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props { title: string; labels: string[]; values: number[]; unit: string; testId: string }

export function VolumeChart({ title, labels, values, unit, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = labels.map((_, i) => i);
    const chart = new uPlot({
      width: Math.max(280, Math.min(560, el.clientWidth || 480)),
      height: 180,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        { values: (_u, splits) => splits.map((v) => labels[Math.round(v)] ?? ''), incrs: [1, 2, 3, 6], grid: { show: false } },
        { label: unit, size: 50 },
      ],
      series: [{}, { label: title, fill: 'rgba(31, 111, 92, 0.55)', stroke: '#1f6f5c', paths: uPlot.paths.bars!({ size: [0.7, 40] }), points: { show: false } }],
    }, [xs, values], el);
    return () => chart.destroy();
  }, [labels, values, title, unit]);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div ref={box} aria-hidden="true" />
      <table className="sr-only">
        <tbody>{labels.map((l, i) => <tr key={l}><th scope="row">{l}</th><td data-testid={`${testId}-${i}`}>{values[i]}</td></tr>)}</tbody>
      </table>
    </figure>
  );
}

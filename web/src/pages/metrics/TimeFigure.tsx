// One time figure (first response, next response, resolution) with its definition: median,
// 90 % and mean on the wall clock and in business hours.
import { formatDuration, useI18n } from '../../i18n.js';
import type { TimeFigures } from '../../slaApi.js';

interface Props { name: string; definition: string; wall: TimeFigures; business: TimeFigures; open: string; testId: string }

export function TimeFigure({ name, definition, wall, business, open, testId }: Props) {
  const { t, locale } = useI18n();
  const m = t.metrics;
  const cell = (v: number | null, id: string) => (
    <td className="num" data-testid={`${testId}-${id}`} data-seconds={v ?? ''}>{v == null ? '–' : formatDuration(v, locale)}</td>
  );
  return (
    <section className="metric card" data-testid={testId}>
      <h3>{name}</h3>
      <p className="definition small muted">{definition}</p>
      <table className="table">
        <thead><tr><th scope="col" /><th scope="col" className="num">{m.median}</th><th scope="col" className="num">{m.p90}</th><th scope="col" className="num">{m.mean}</th></tr></thead>
        <tbody>
          <tr><th scope="row">{m.wall}</th>{cell(wall.p50, 'wall-p50')}{cell(wall.p90, 'wall-p90')}{cell(wall.mean, 'wall-mean')}</tr>
          <tr><th scope="row">{m.business}</th>{cell(business.p50, 'business-p50')}{cell(business.p90, 'business-p90')}{cell(business.mean, 'business-mean')}</tr>
        </tbody>
      </table>
      <p className="small muted" data-testid={`${testId}-count`} data-count={wall.count}>{wall.count} · {open}</p>
    </section>
  );
}

// What flagged an item: word-list hits as chips (category and the word, blurred with the text)
// and the classifier's scores.
import { Blurred } from '../../components/Blurred.js';
import { formatPercent, useI18n } from '../../i18n.js';
import type { QueueItem, WordEvidence } from '../../moderationApi.js';
import { distinctHits } from './highlight.js';
import { MisinfoEvidence } from '../misinfo/MisinfoEvidence.js';
import type { MisinfoSignal } from '../misinfo/misinfoApi.js';

interface Props {
  item: QueueItem;
  hits: WordEvidence[];
  hidden: boolean;
}

export function Signals({ item, hits, hidden }: Props) {
  const { t, locale } = useI18n();
  const r = t.review;
  const scores = (Array.isArray(item.signals) ? item.signals : []).filter((s) => s.kind === 'classifier' && typeof s.score === 'number');
  const words = distinctHits(hits);
  // Known claims, listed sources and campaigns: their evidence as text (src/misinfo).
  const misinfo = (Array.isArray(item.signals) ? item.signals : []).filter((s) => (s.kind as string) !== 'words' && (s.kind as string) !== 'classifier') as unknown as MisinfoSignal[];
  if (!words.length && !scores.length && !misinfo.length) return null;
  return (
    <div className="signals">
      {words.length > 0 && (
        <ul className="chips" aria-label={r.words}>
          {words.map((hit, i) => (
            <li key={i} className={`chip chip-${hit.category}`} data-testid="review-word" title={hit.list ? `${hit.list}: ${hit.term}` : undefined}>
              <span className="chip-label">{r.categories[hit.category] ?? hit.category}</span>{' '}
              <Blurred hidden={hidden} label={r.hiddenLabel}>{hit.matched}</Blurred>
            </li>
          ))}
        </ul>
      )}
      {scores.length > 0 && (
        <ul className="chips" aria-label={r.scores}>
          {scores.map((s, i) => (
            <li key={i} className={`chip score${s.score >= 0.5 ? ' high' : ''}`} data-testid="review-score" title={s.source}>
              <span className="chip-label">{r.labels[s.label] ?? s.label}</span> {formatPercent(s.score, locale)}
            </li>
          ))}
        </ul>
      )}
      <MisinfoEvidence signals={misinfo} text={item.text ?? ''} />
    </div>
  );
}

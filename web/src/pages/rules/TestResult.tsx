// What the rules would have done to the last days' items: counts per rule and the items hit.
import { RevealOnClick } from '../../components/Blurred.js';
import { useI18n } from '../../i18n.js';
import type { RulesTest } from '../../moderationApi.js';

/** The server lists at most this many matched items. */
const MATCHES_SHOWN = 500;

export function TestResult({ result, days, revealToxic }: { result: RulesTest; days: number; revealToxic: boolean }) {
  const { t } = useI18n();
  const r = t.rules;
  const perRule = Object.entries(result.perRule ?? {}).sort((a, b) => b[1] - a[1]);
  const matched = Array.isArray(result.matched) ? result.matched : [];
  return (
    <section className="rules-result" data-testid="rules-result" aria-labelledby="rules-result-title">
      <h2 id="rules-result-title">{r.resultTitle}</h2>
      <p>{r.tested(result.tested, days)}</p>
      {perRule.length === 0 ? <p className="muted">{r.noMatches}</p> : (
        <table className="table compact">
          <caption>{r.perRule}</caption>
          <thead><tr><th scope="col">{r.rule}</th><th scope="col" className="num">{r.matches}</th></tr></thead>
          <tbody>
            {perRule.map(([rule, count]) => (
              <tr key={rule} data-testid="rules-result-rule"><td>{rule}</td><td className="num">{count}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      {matched.length > 0 && (
        <>
          <h3>{r.matchedTitle}</h3>
          {matched.length >= MATCHES_SHOWN && <p className="muted">{r.matchedShown(matched.length)}</p>}
          <ol className="items matched">
            {matched.map((m, i) => (
              <li key={`${String(m.itemId)}-${m.rule}-${i}`} className="item" data-testid="rules-match" data-item-id={String(m.itemId)}>
                <div className="item-meta">
                  <strong>{m.rule}</strong>
                  <span>{r.actions}: {(m.actions ?? []).map((a) => (a.value ? `${a.action} ${a.value}` : a.action)).join(', ')}</span>
                  {m.reason && <span>{r.reason}: {m.reason}</span>}
                </div>
                <p className="item-text">
                  <RevealOnClick text={m.text ?? ''} hidden={!revealToxic} label={r.hiddenLabel} testId="rules-match-text" />
                </p>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

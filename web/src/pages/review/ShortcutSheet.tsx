// The overview of the review page's keys, opened with "?" or its button.
import { useI18n } from '../../i18n.js';

export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const r = t.review;
  return (
    <section className="shortcut-sheet" role="dialog" aria-labelledby="shortcut-title" data-testid="shortcut-sheet">
      <h2 id="shortcut-title">{r.shortcuts}</h2>
      <dl>
        {r.keys.map(([key, what]) => (
          <div key={key}>
            <dt><kbd>{key === ' ' ? r.spaceKey : key}</kbd></dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className="secondary" data-testid="shortcut-sheet-close" onClick={onClose}>{r.close}</button>
    </section>
  );
}

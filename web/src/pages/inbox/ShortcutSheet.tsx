// The overview of the inbox keys, opened with "?".
import { useI18n } from '../../i18n.js';

export function InboxShortcutSheet({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  return (
    <section className="shortcut-sheet" role="dialog" aria-labelledby="inbox-shortcut-title" data-testid="inbox-shortcut-sheet">
      <h2 id="inbox-shortcut-title">{t.inbox.shortcuts}</h2>
      <dl>
        {t.inbox.keys.map(([key, what]) => (
          <div key={key}>
            <dt><kbd>{key}</kbd></dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className="secondary" onClick={onClose}>{t.inbox.closeSheet}</button>
    </section>
  );
}

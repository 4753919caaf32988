// "Latest items": the newest items of the current workspace, 50 at a time (GET /api/v1/items).
// Every field is user content: it is rendered as React text only, links only through SafeLink.
import { useEffect, useState } from 'react';
import { api, type Item } from '../api.js';
import { useLoader } from '../useLoader.js';
import { errorText } from '../errors.js';
import { formatDateTime, kindName, languageName, useI18n } from '../i18n.js';
import { SafeLink } from '../SafeLink.js';

interface Props {
  workspace: string;
  onUnauthorized: () => void;
}

export function Items({ workspace, onUnauthorized }: Props) {
  const { t } = useI18n();
  const [items, setItems] = useState<Item[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const { run, loading, error } = useLoader(onUnauthorized);

  function load(before: string | null) {
    return run((signal) => api.items(workspace, before, signal), (page) => {
      setItems((prev) => {
        const base = before ? prev : [];
        const seen = new Set(base.map((item) => item.id));
        return [...base, ...page.items.filter((item) => !seen.has(item.id))];
      });
      setNextCursor(page.nextCursor);
    });
  }

  useEffect(() => {
    setItems([]);
    setNextCursor(null);
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload only when the workspace changes
  }, [workspace]);

  const firstLoad = loading && items.length === 0;

  return (
    <section aria-labelledby="items-title" aria-busy={loading}>
      <h1 id="items-title">{t.itemsTitle}</h1>
      {firstLoad && <p className="muted" data-testid="items-loading">{t.loading}</p>}
      {!loading && !error && items.length === 0 && (
        <p className="empty" data-testid="items-empty">{t.itemsEmpty}</p>
      )}
      {items.length > 0 && (
        <ol className="items" data-testid="items">
          {items.map((item) => <ItemRow key={item.id} item={item} />)}
        </ol>
      )}
      {error !== null && (
        <div className="error" role="alert" data-testid="items-error">
          <p>{t.itemsLoadFailed} {errorText(error, t)}</p>
          <button type="button" onClick={() => void load(items.length ? nextCursor : null)}>{t.retry}</button>
        </div>
      )}
      {nextCursor && !error && (
        <button type="button" className="load-more" data-testid="load-more" disabled={loading}
          onClick={() => void load(nextCursor)}>
          {loading ? t.loading : t.loadMore}
        </button>
      )}
      {!nextCursor && !loading && !error && items.length > 0 && (
        <p className="muted end" data-testid="items-end">{t.allLoaded}</p>
      )}
    </section>
  );
}

function ItemRow({ item }: { item: Item }) {
  const { t, locale } = useI18n();
  const author = item.author;
  const links = Array.isArray(item.links) ? item.links : [];
  return (
    <li className="item" data-testid="item" data-item-id={item.id}>
      <div className="item-meta">
        <span className="platform" data-testid="item-platform">{item.platform}</span>
        <SafeLink href={author?.profileUrl} className="author" testId="item-author">
          <strong>{author?.displayName || author?.handle}</strong>
          {author?.handle && <span className="handle"> @{author.handle.replace(/^@/, '')}</span>}
        </SafeLink>
        <span data-testid="item-language">{languageName(item.language, locale)}</span>
        <span data-testid="item-kind">{kindName(item.kind, locale)}</span>
        <time dateTime={item.createdAt} data-testid="item-time">{formatDateTime(item.createdAt, locale)}</time>
        {item.permalink && (
          <SafeLink href={item.permalink} fallback={item.permalink} className="permalink" testId="item-permalink">
            {t.openOriginal}
          </SafeLink>
        )}
      </div>
      <p className="item-text" data-testid="item-text">{item.text}</p>
      {links.length > 0 && (
        <ul className="item-links" aria-label={t.links}>
          {links.map((link, i) => (
            <li key={i}><SafeLink href={link} /></li>
          ))}
        </ul>
      )}
    </li>
  );
}

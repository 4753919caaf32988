// Which page is shown, kept in the address (#/review …) so reloading and the back button work.
import { useEffect, useState } from 'react';

export type Page = 'inbox' | 'items' | 'review' | 'rules' | 'wordLists' | 'models' | 'audit' | 'wellbeing' | 'metrics' | 'inboxSettings' | 'connections' | 'training';
export const PAGES: Page[] = ['inbox', 'items', 'review', 'rules', 'wordLists', 'models', 'audit', 'wellbeing', 'metrics', 'inboxSettings', 'connections', 'training'];

export function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, '');
  return PAGES.find((page) => page === name) ?? 'items';
}

export function pageHref(page: Page): string {
  return `#/${page}`;
}

export function usePage(): Page {
  const [page, setPage] = useState<Page>(() => pageFromHash(window.location.hash));
  useEffect(() => {
    const follow = () => setPage(pageFromHash(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return page;
}

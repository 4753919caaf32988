// Which page is shown, kept in the address (#/review …) so reloading and the back button work.
import { useEffect, useState } from 'react';

export type Page = 'inbox' | 'items' | 'review' | 'rules' | 'wordLists' | 'models' | 'audit' | 'wellbeing' | 'metrics' | 'inboxSettings' | 'connections' | 'people' | 'commons';
export const PAGES: Page[] = ['inbox', 'items', 'review', 'rules', 'wordLists', 'models', 'audit', 'wellbeing', 'metrics', 'inboxSettings', 'connections', 'people', 'commons'];

/** The page named in the address; a page may be followed by `/<id>` (#/people/42). */
export function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, '').split('/')[0];
  return PAGES.find((page) => page === name) ?? 'items';
}

/** The id after the page name (#/people/42 -> 42), or null. */
export function idFromHash(hash: string): number | null {
  const m = /^#\/?[A-Za-z]+\/(\d+)$/.exec(hash);
  return m ? Number(m[1]) : null;
}

/** The person page of one person. */
export function personHref(id: number): string {
  return `#/people/${id}`;
}

/** An inbox conversation opened directly (reply in context). */
export function conversationHref(id: number): string {
  return `#/inbox/${id}`;
}

/** The id in the address, following changes (the person page, a linked conversation). */
export function useHashId(): number | null {
  const [id, setId] = useState<number | null>(() => idFromHash(window.location.hash));
  useEffect(() => {
    const follow = () => setId(idFromHash(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return id;
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

// Which page is shown, kept in the address (#/review …) so reloading and the back button work.
import { useEffect, useState } from 'react';

export type Page = 'inbox' | 'items' | 'review' | 'rules' | 'wordLists' | 'models' | 'audit' | 'wellbeing' | 'metrics' | 'inboxSettings' | 'connections' | 'people';
export const PAGES: Page[] = ['inbox', 'items', 'review', 'rules', 'wordLists', 'models', 'audit', 'wellbeing', 'metrics', 'inboxSettings', 'connections', 'people'];

/**
 * The pages grouped by the work they serve, in the order a community manager's day goes. A page
 * missing here still shows, under "more", so a new page is never unreachable.
 */
export const GROUPS = [
  { name: 'conversations', pages: ['inbox', 'metrics'] },
  { name: 'moderation', pages: ['review', 'items', 'rules', 'wordLists', 'models', 'audit', 'wellbeing'] },
  { name: 'setup', pages: ['connections', 'inboxSettings'] },
] as const satisfies readonly { name: string; pages: readonly Page[] }[];
export type Group = (typeof GROUPS)[number]['name'] | 'more';

export function groupedPages(): { name: Group; pages: Page[] }[] {
  const grouped = new Set<Page>(GROUPS.flatMap((g) => g.pages));
  const rest = PAGES.filter((p) => !grouped.has(p));
  return [...GROUPS.map((g) => ({ name: g.name as Group, pages: [...g.pages] as Page[] })), ...(rest.length ? [{ name: 'more' as Group, pages: rest }] : [])];
}

/** Where a community manager starts: the conversations waiting for the team. */
export const START_PAGE: Page = 'inbox';

/** The page named in the address; a page may be followed by `/<id>` (#/people/42). */
export function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, '').split('/')[0];
  return PAGES.find((page) => page === name) ?? START_PAGE;
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

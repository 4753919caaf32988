// Decides what to show: first-run setup, login, or the signed-in shell with its pages; owns session and language.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError, setCsrfToken, type Locale, type Me } from './api.js';
import { errorText } from './errors.js';
import { Header } from './Header.js';
import { I18nContext, i18nFor, resolveLocale } from './i18n.js';
import { usePage } from './nav.js';
import { Audit } from './pages/Audit.js';
import { Inbox } from './pages/inbox/Inbox.js';
import { Connections } from './pages/Connections.js';
import { InboxSettings } from './pages/inboxSettings/InboxSettings.js';
import { Items } from './pages/Items.js';
import { People } from './pages/people/People.js';
import { Login, type LoginNotice } from './pages/Login.js';
import { Review } from './pages/Review.js';
import { Rules } from './pages/Rules.js';
import { Setup } from './pages/Setup.js';
import { Models } from './pages/Models.js';
import { WordLists } from './pages/WordLists.js';
import { Wellbeing } from './pages/Wellbeing.js';
import { Misinfo } from './pages/misinfo/Misinfo.js';
import { Training } from './pages/training/Training.js';

// The chart and graph libraries are large; they load with the first visit to their page.
const Metrics = lazy(() => import('./pages/Metrics.js').then((m) => ({ default: m.Metrics })));
const Commons = lazy(() => import('./pages/commons/Commons.js').then((m) => ({ default: m.Commons })));

type View =
  | { name: 'loading' }
  | { name: 'failed'; error: unknown }
  | { name: 'setup' }
  | { name: 'login'; notice: LoginNotice | null }
  | { name: 'shell'; me: Me };

const WORKSPACE_KEY = 'allmende.workspace';

function rememberedWorkspace(me: Me): string | null {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(WORKSPACE_KEY);
  } catch {
    // storage may be disabled
  }
  const match = me.workspaces.find((ws) => ws.slug === saved);
  return match?.slug ?? me.workspaces[0]?.slug ?? null;
}

function roleIn(me: Me, slug: string): string | null {
  return me.workspaces.find((ws) => ws.slug === slug)?.role ?? null;
}

export function App() {
  const [view, setView] = useState<View>({ name: 'loading' });
  const [workspace, setWorkspace] = useState<string | null>(null);
  const [localeError, setLocaleError] = useState<unknown>(null);
  const page = usePage();

  const locale = resolveLocale(view.name === 'shell' ? view.me.user.locale : null);
  const i18n = useMemo(() => i18nFor(locale), [locale]);

  const enter = useCallback(async (notice: LoginNotice | null = null) => {
    try {
      const me = await api.me();
      setCsrfToken(me.csrfToken);
      setWorkspace(rememberedWorkspace(me));
      setView({ name: 'shell', me });
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) return setView({ name: 'failed', error: err });
      setCsrfToken(null);
      try {
        const { needsOwner } = await api.getSetup();
        setView(needsOwner ? { name: 'setup' } : { name: 'login', notice });
      } catch (setupErr) {
        setView({ name: 'failed', error: setupErr });
      }
    }
  }, []);

  useEffect(() => {
    void enter();
  }, [enter]);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const sessionEnded = useCallback(() => {
    setCsrfToken(null);
    setView({ name: 'login', notice: 'sessionExpired' });
  }, []);

  function chooseWorkspace(slug: string) {
    setWorkspace(slug);
    try {
      localStorage.setItem(WORKSPACE_KEY, slug);
    } catch {
      // storage may be disabled
    }
  }

  async function chooseLocale(next: Locale) {
    if (view.name !== 'shell') return;
    const me = view.me;
    setLocaleError(null);
    setView({ name: 'shell', me: { ...me, user: { ...me.user, locale: next } } });
    try {
      await api.saveLocale(next);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return sessionEnded();
      setView({ name: 'shell', me });
      setLocaleError(err);
    }
  }

  /** The review page saves the setting itself; this keeps every page's copy in step. */
  function setRevealToxic(revealToxic: boolean) {
    setView((v) => (v.name === 'shell' ? { name: 'shell', me: { ...v.me, user: { ...v.me.user, revealToxic } } } : v));
  }

  async function logout() {
    try {
      await api.logout();
    } catch {
      // the session is dropped here either way
    }
    setCsrfToken(null);
    setLocaleError(null);
    setView({ name: 'login', notice: null });
  }

  const t = i18n.t;
  return (
    <I18nContext.Provider value={i18n}>
      {view.name === 'loading' && <p className="muted centered" data-testid="app-loading">{t.loading}</p>}
      {view.name === 'failed' && (
        <main className="card" role="alert" data-testid="app-error">
          <p className="error">{errorText(view.error, t)}</p>
          <button type="button" onClick={() => { setView({ name: 'loading' }); void enter(); }}>{t.retry}</button>
        </main>
      )}
      {view.name === 'setup' && (
        <Setup onDone={() => void enter()} onAlreadyDone={() => setView({ name: 'login', notice: 'setupAlreadyDone' })} />
      )}
      {view.name === 'login' && <Login notice={view.notice} onDone={() => void enter()} />}
      {view.name === 'shell' && (
        <>
          <Header me={view.me} workspace={workspace} page={page} onWorkspaceChange={chooseWorkspace}
            onLocaleChange={(l) => void chooseLocale(l)} onLogout={() => void logout()} />
          <main className={page === 'audit' || page === 'wellbeing' || page === 'inbox' || page === 'metrics' || page === 'commons' ? 'content wide' : 'content'}>
            {localeError !== null && (
              <p className="error" role="alert">{t.localeSaveFailed} {errorText(localeError, t)}</p>
            )}
            {!workspace && <p className="empty" data-testid="no-workspaces">{t.noWorkspaces}</p>}
            {workspace && page === 'inbox' && (
              <Inbox key={workspace} workspace={workspace} role={roleIn(view.me, workspace)} me={view.me.user} onUnauthorized={sessionEnded} />
            )}
            {workspace && page === 'items' && <Items key={workspace} workspace={workspace} onUnauthorized={sessionEnded} />}
            {workspace && page === 'review' && (
              <Review key={workspace} workspace={workspace} role={roleIn(view.me, workspace)}
                revealToxic={view.me.user.revealToxic} onRevealToxicChange={setRevealToxic} onUnauthorized={sessionEnded} />
            )}
            {workspace && page === 'rules' && (
              <Rules key={workspace} workspace={workspace} revealToxic={view.me.user.revealToxic ?? false} onUnauthorized={sessionEnded} />
            )}
            {workspace && page === 'wordLists' && <WordLists key={workspace} workspace={workspace} role={roleIn(view.me, workspace)} onUnauthorized={sessionEnded} />}
            {workspace && page === 'models' && <Models key={workspace} workspace={workspace} role={roleIn(view.me, workspace)} onUnauthorized={sessionEnded} />}
            {workspace && page === 'wellbeing' && <Wellbeing key={workspace} workspace={workspace} onUnauthorized={sessionEnded} />}
            {workspace && page === 'misinfo' && <Misinfo key={workspace} workspace={workspace} onUnauthorized={sessionEnded} />}
            {workspace && page === 'connections' && <Connections key={workspace} workspace={workspace} onUnauthorized={sessionEnded} />}
            {workspace && page === 'audit' && (
              <Audit key={workspace} workspace={workspace} revealToxic={view.me.user.revealToxic ?? false} onUnauthorized={sessionEnded} />
            )}
            {workspace && page === 'metrics' && <Suspense fallback={<p className="muted">{t.loading}</p>}><Metrics key={workspace} workspace={workspace} onUnauthorized={sessionEnded} /></Suspense>}
            {workspace && page === 'people' && <People key={workspace} workspace={workspace} role={roleIn(view.me, workspace)} onUnauthorized={sessionEnded} />}
            {workspace && page === 'commons' && <Suspense fallback={<p className="muted">{t.loading}</p>}><Commons key={workspace} workspace={workspace} onUnauthorized={sessionEnded} /></Suspense>}
            {workspace && page === 'training' && <Training key={workspace} workspace={workspace} role={roleIn(view.me, workspace)} userId={view.me.user.id} onUnauthorized={sessionEnded} />}
            {workspace && page === 'inboxSettings' && <InboxSettings key={workspace} workspace={workspace} role={roleIn(view.me, workspace)} onUnauthorized={sessionEnded} />}
          </main>
        </>
      )}
    </I18nContext.Provider>
  );
}

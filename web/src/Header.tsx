// The bar above every signed-in page: product name, the pages grouped by the work they serve,
// workspace switcher, language switch, sign-out.
import type { Locale, Me } from './api.js';
import { isLocale, localeNames, locales, useI18n } from './i18n.js';
import { groupedPages, pageHref, type Page } from './nav.js';

interface Props {
  me: Me;
  workspace: string | null;
  page: Page;
  onWorkspaceChange: (slug: string) => void;
  onLocaleChange: (locale: Locale) => void;
  onLogout: () => void;
}

export function Header({ me, workspace, page, onWorkspaceChange, onLocaleChange, onLogout }: Props) {
  const { t, locale } = useI18n();
  return (
    <header className="app-header">
      <span className="brand">Allmende</span>
      <nav className="tabs" aria-label={t.nav}>
        {groupedPages().map((g) => (
          <div key={g.name} className="tab-group" role="group" aria-label={t.groups[g.name]} data-testid={`nav-group-${g.name}`}>
            <span className="tab-group-name" aria-hidden="true">{t.groups[g.name]}</span>
            {g.pages.map((p) => (
              <a key={p} href={pageHref(p)} data-testid={`nav-${p}`} aria-current={p === page ? 'page' : undefined}>
                {t.pages[p]}
              </a>
            ))}
          </div>
        ))}
      </nav>
      {me.workspaces.length > 0 && (
        <label className="field-inline">
          <span>{t.workspace}</span>
          <select data-testid="workspace-switcher" value={workspace ?? ''}
            onChange={(e) => onWorkspaceChange(e.target.value)}>
            {me.workspaces.map((ws) => (
              <option key={ws.id} value={ws.slug}>{ws.name}</option>
            ))}
          </select>
        </label>
      )}
      <span className="spacer" />
      <label className="field-inline">
        <span>{t.language}</span>
        <select data-testid="language-switch" value={locale}
          onChange={(e) => { if (isLocale(e.target.value)) onLocaleChange(e.target.value); }}>
          {locales.map((l) => (
            <option key={l} value={l} lang={l}>{localeNames[l]}</option>
          ))}
        </select>
      </label>
      <span className="user muted" data-testid="user-name" title={me.user.email}>{t.signedInAs(me.user.name)}</span>
      <button type="button" className="secondary" data-testid="logout" onClick={onLogout}>{t.logout}</button>
    </header>
  );
}

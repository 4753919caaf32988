// UI strings in German and English, the choice of language, and locale-aware formatting.
// Every string the UI shows lives here or, per page, in ./messages/; `de` must have every key that
// `en` has (checked by the type).

import { createContext, useContext } from 'react';
import type { Locale } from './api.js';
import * as audit from './messages/audit.js';
import * as inbox from './messages/inbox.js';
import * as inboxSettings from './messages/inboxSettings.js';
import * as metrics from './messages/metrics.js';
import * as connections from './messages/connections.js';
import * as people from './messages/people.js';
import * as review from './messages/review.js';
import * as rules from './messages/rules.js';
import * as models from './messages/models.js';
import * as wordLists from './messages/wordLists.js';
import * as wellbeing from './messages/wellbeing.js';
import * as fieldIssues from './messages/fieldIssues.js';

export type { Locale };

const minutes = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const en = {
  loading: 'Loading…',
  retry: 'Try again',
  errorNetwork: 'The server cannot be reached. Please check your connection.',
  errorGeneric: (message: string) => `Something went wrong: ${message}`,
  errorForbidden: (message: string) => `You are not allowed to do this: ${message}`,
  errorInput: (issues: string) => `Please check the input: ${issues}`,
  fieldIssue: fieldIssues.en,

  setupTitle: 'Set up Allmende',
  setupIntro: 'Create your account and the first workspace. As the first account you own this installation; you are signed in straight away.',
  setupEmail: 'Email address',
  setupName: 'Your name',
  setupPassword: 'Password',
  setupPasswordHint: 'At least 12 characters.',
  setupWorkspace: 'Name of the first workspace',
  setupSubmit: 'Set up and sign in',
  setupAlreadyDone: 'Allmende has already been set up. Please sign in.',
  passwordTooShort: 'The password must be at least 12 characters long.',

  loginTitle: 'Sign in',
  loginEmail: 'Email address',
  loginPassword: 'Password',
  loginSubmit: 'Sign in',
  loginInvalid: 'The email address or password is incorrect.',
  loginRateLimited: (n: number) => `Too many attempts. Please try again in ${minutes(n, 'minute', 'minutes')}.`,
  sessionExpired: 'Your session has ended. Please sign in again.',

  workspace: 'Workspace',
  language: 'Language',
  logout: 'Sign out',
  signedInAs: (name: string) => `Signed in as ${name}`,
  noWorkspaces: 'You are not a member of any workspace yet.',
  localeSaveFailed: 'Your language could not be saved.',

  nav: 'Sections',
  groups: { conversations: 'Conversations', moderation: 'Moderation', setup: 'Setup', more: 'More' },
  pages: { inbox: 'Inbox', items: 'Items', review: 'Review', rules: 'Rules', wordLists: 'Word lists', models: 'Model', audit: 'Audit', wellbeing: 'Workload', metrics: 'Figures', inboxSettings: 'Inbox settings', connections: 'Connections', people: 'People' },
  states: { visible: 'visible', held: 'held', hidden: 'hidden', deleted: 'deleted' } as Record<string, string>,
  actorKinds: { person: 'Person', rule: 'Rule', model: 'Model' } as Record<string, string>,

  itemsTitle: 'Latest items',
  itemsEmpty: 'There are no items in this workspace yet.',
  itemsLoadFailed: 'The items could not be loaded.',
  loadMore: 'Load more',
  allLoaded: 'All items are shown.',
  openOriginal: 'Open original',
  links: 'Links',
  languageUnknown: 'language unknown',
  kinds: {
    post: 'Post',
    comment: 'Comment',
    reply: 'Reply',
    direct_message: 'Direct message',
    mention: 'Mention',
    email: 'Email',
  } as Record<string, string>,

  review: review.en,
  rules: rules.en,
  audit: audit.en,
  models: models.en,
  wordLists: wordLists.en,
  wellbeing: wellbeing.en,
  inbox: inbox.en,
  inboxSettings: inboxSettings.en,
  metrics: metrics.en,
  connections: connections.en,
  people: people.en,
};

export type Messages = typeof en;

const de: Messages = {
  loading: 'Wird geladen …',
  retry: 'Erneut versuchen',
  errorNetwork: 'Der Server ist nicht erreichbar. Bitte prüfe deine Verbindung.',
  errorGeneric: (message) => `Etwas ist schiefgegangen: ${message}`,
  errorForbidden: (message) => `Dafür fehlen dir die Rechte: ${message}`,
  errorInput: (issues) => `Bitte prüfe die Eingabe: ${issues}`,
  fieldIssue: fieldIssues.de,

  setupTitle: 'Allmende einrichten',
  setupIntro: 'Lege dein Konto und den ersten Arbeitsbereich an. Als erstes Konto verwaltest du diese Installation; danach bist du gleich angemeldet.',
  setupEmail: 'E-Mail-Adresse',
  setupName: 'Dein Name',
  setupPassword: 'Passwort',
  setupPasswordHint: 'Mindestens 12 Zeichen.',
  setupWorkspace: 'Name des ersten Arbeitsbereichs',
  setupSubmit: 'Einrichten und anmelden',
  setupAlreadyDone: 'Allmende ist bereits eingerichtet. Bitte melde dich an.',
  passwordTooShort: 'Das Passwort muss mindestens 12 Zeichen lang sein.',

  loginTitle: 'Anmelden',
  loginEmail: 'E-Mail-Adresse',
  loginPassword: 'Passwort',
  loginSubmit: 'Anmelden',
  loginInvalid: 'E-Mail-Adresse oder Passwort ist falsch.',
  loginRateLimited: (n) => `Zu viele Anmeldeversuche. Bitte versuche es in ${minutes(n, 'Minute', 'Minuten')} erneut.`,
  sessionExpired: 'Deine Sitzung ist beendet. Bitte melde dich erneut an.',

  workspace: 'Arbeitsbereich',
  language: 'Sprache',
  logout: 'Abmelden',
  signedInAs: (name) => `Angemeldet als ${name}`,
  noWorkspaces: 'Du gehörst noch keinem Arbeitsbereich an.',
  localeSaveFailed: 'Deine Sprache konnte nicht gespeichert werden.',

  nav: 'Bereiche',
  groups: { conversations: 'Gespräche', moderation: 'Moderation', setup: 'Einrichten', more: 'Weiteres' },
  pages: { inbox: 'Posteingang', items: 'Beiträge', review: 'Prüfen', rules: 'Regeln', wordLists: 'Wortlisten', models: 'Modell', audit: 'Protokoll', wellbeing: 'Belastung', metrics: 'Kennzahlen', inboxSettings: 'Posteingang einrichten', connections: 'Verbindungen', people: 'Menschen' },
  states: { visible: 'sichtbar', held: 'zurückgehalten', hidden: 'verborgen', deleted: 'gelöscht' },
  actorKinds: { person: 'Person', rule: 'Regel', model: 'Modell' },

  itemsTitle: 'Neueste Beiträge',
  itemsEmpty: 'In diesem Arbeitsbereich gibt es noch keine Beiträge.',
  itemsLoadFailed: 'Die Beiträge konnten nicht geladen werden.',
  loadMore: 'Weitere laden',
  allLoaded: 'Alle Beiträge werden angezeigt.',
  openOriginal: 'Original öffnen',
  links: 'Links',
  languageUnknown: 'Sprache unbekannt',
  kinds: {
    post: 'Beitrag',
    comment: 'Kommentar',
    reply: 'Antwort',
    direct_message: 'Direktnachricht',
    mention: 'Erwähnung',
    email: 'E-Mail',
  },

  review: review.de,
  rules: rules.de,
  audit: audit.de,
  models: models.de,
  wordLists: wordLists.de,
  wellbeing: wellbeing.de,
  inbox: inbox.de,
  inboxSettings: inboxSettings.de,
  metrics: metrics.de,
  connections: connections.de,
  people: people.de,
};

export const messages: Record<Locale, Messages> = { de, en };

/** Each language named in itself, for the language switch. */
export const localeNames: Record<Locale, string> = { de: 'Deutsch', en: 'English' };

export const locales: Locale[] = ['de', 'en'];

export function isLocale(value: unknown): value is Locale {
  return value === 'de' || value === 'en';
}

function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language ?? ''];
}

/** The browser's preferred language: German if it starts with "de", otherwise English. */
export function browserLocale(languages: readonly string[] = browserLanguages()): Locale {
  return (languages[0] ?? '').toLowerCase().startsWith('de') ? 'de' : 'en';
}

/** The user's saved language wins; without one, the browser decides. */
export function resolveLocale(saved: Locale | null | undefined): Locale {
  return saved ?? browserLocale();
}

/** A BCP 47 tag for Intl: the browser's own regional variant of the language if it has one (en-GB, de-AT). */
function intlTag(locale: Locale): string {
  return browserLanguages().find((tag) => tag.toLowerCase().split('-')[0] === locale) ?? locale;
}

export function formatDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlTag(locale), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A share 0..1 as a percentage ("12 %" / "12%"). */
export function formatPercent(share: number, locale: Locale): string {
  return new Intl.NumberFormat(intlTag(locale), { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** A duration in the largest unit that keeps it readable: "45 Sekunden", "3 Minuten", "1,5 Stunden", "2 Tage". */
export function formatDuration(seconds: number, locale: Locale): string {
  const steps: [Intl.NumberFormatOptions['unit'], number][] = [['day', 86_400], ['hour', 3_600], ['minute', 60]];
  let [unit, value] = ['second', Math.max(0, seconds)] as [Intl.NumberFormatOptions['unit'], number];
  for (const [candidate, size] of steps) {
    if (seconds >= size * 1.5) {
      [unit, value] = [candidate, seconds / size];
      break;
    }
  }
  return new Intl.NumberFormat(intlTag(locale), {
    style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: value < 10 && unit !== 'second' ? 1 : 0,
  }).format(value);
}

/** "de" → "Deutsch" / "German"; unknown or malformed codes are shown as they are. */
export function languageName(code: string | null, locale: Locale): string {
  if (!code) return messages[locale].languageUnknown;
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function kindName(kind: string, locale: Locale): string {
  return messages[locale].kinds[kind] ?? kind;
}

export interface I18n {
  locale: Locale;
  t: Messages;
}

export const I18nContext = createContext<I18n>({ locale: 'en', t: en });

export function useI18n(): I18n {
  return useContext(I18nContext);
}

export function i18nFor(locale: Locale): I18n {
  return { locale, t: messages[locale] };
}

// Strings of the rules page ("Regeln"), English and German. Part of the dictionary in ../i18n.ts.
import * as help from './rulesHelp.js';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const en = {
  title: 'Rules',
  intro: 'Rules decide on their own what happens to new items. Test a change against the last 30 days before you save it.',
  editorLabel: 'Rules as text',
  version: (n: number) => `Version ${n}`,
  unsaved: 'Unsaved changes',
  loadFailed: 'The rules could not be loaded.',
  test: 'Test against last 30 days',
  testing: 'Testing …',
  save: 'Save',
  saving: 'Saving …',
  saved: (version: number, rules: number) => `Saved as version ${version}: ${count(rules, 'rule', 'rules')} active.`,
  errorsTitle: (n: number) => `${count(n, 'error', 'errors')} – click one to jump to it`,
  errorAt: (line: number, column: number, message: string) => `Line ${line}, column ${column}: ${message}`,

  resultTitle: 'Test result',
  tested: (n: number, days: number) => `${count(n, 'item', 'items')} from the last ${days} days tested.`,
  perRule: 'Matches per rule',
  rule: 'Rule',
  matches: 'Matches',
  noMatches: 'No rule would have matched.',
  matchedTitle: 'Items the rules would have matched',
  matchedShown: (n: number) => `The first ${n} are shown.`,
  actions: 'Actions',
  reason: 'Reason',
  hiddenLabel: 'Text hidden: click to reveal',

  helpLead: 'Prefer hold, so that a person decides – and test every change first: the test changes nothing.',
  help: help.en,
};

export const de: typeof en = {
  title: 'Regeln',
  intro: 'Regeln entscheiden selbstständig, was mit neuen Beiträgen passiert. Teste eine Änderung an den letzten 30 Tagen, bevor du sie speicherst.',
  editorLabel: 'Regeln als Text',
  version: (n) => `Version ${n}`,
  unsaved: 'Ungespeicherte Änderungen',
  loadFailed: 'Die Regeln konnten nicht geladen werden.',
  test: 'An den letzten 30 Tagen testen',
  testing: 'Wird getestet …',
  save: 'Speichern',
  saving: 'Wird gespeichert …',
  saved: (version, rules) => `Als Version ${version} gespeichert: ${count(rules, 'Regel', 'Regeln')} aktiv.`,
  errorsTitle: (n) => `${count(n, 'Fehler', 'Fehler')} – zum Hinspringen anklicken`,
  errorAt: (line, column, message) => `Zeile ${line}, Spalte ${column}: ${message}`,

  resultTitle: 'Testergebnis',
  tested: (n, days) => `${count(n, 'Beitrag', 'Beiträge')} der letzten ${days} Tage getestet.`,
  perRule: 'Treffer pro Regel',
  rule: 'Regel',
  matches: 'Treffer',
  noMatches: 'Keine Regel hätte gegriffen.',
  matchedTitle: 'Beiträge, bei denen die Regeln gegriffen hätten',
  matchedShown: (n) => `Die ersten ${n} werden angezeigt.`,
  actions: 'Aktionen',
  reason: 'Grund',
  hiddenLabel: 'Text verschleiert: zum Anzeigen klicken',

  helpLead: 'Nimm lieber hold, dann entscheidet ein Mensch – und teste jede Änderung vorher: Der Test verändert nichts.',
  help: help.de,
};

// Strings of the workload page ("Belastung"), English and German. Part of the dictionary in ../i18n.ts.
export const en = {
  title: 'Workload',
  intro: 'How many harmful items each person was shown per day (each item counted once per day). A workload figure to share out the hard work and to notice when someone needs a break – not a performance figure.',
  loadFailed: 'The workload could not be loaded.',
  managersOnly: 'Only managers see the workload of the whole team. Your own count is shown on the review page.',
  period: 'Period',
  lastDays: (n: number) => `Last ${n} days`,
  empty: 'Nobody was shown harmful items in this period.',
  person: 'Person',
  total: 'Total',
  perDay: 'Harmful items per day',
  busiest: 'Most in one day',
  chartLabel: (name: string, total: number) => `${name}: ${total} harmful items`,
};

export const de: typeof en = {
  title: 'Belastung',
  intro: 'Wie viele belastende Beiträge jede Person pro Tag gesehen hat (jeder Beitrag einmal pro Tag gezählt). Eine Kennzahl, um die schwere Arbeit gerecht zu verteilen und zu merken, wann jemand eine Pause braucht – keine Leistungskennzahl.',
  loadFailed: 'Die Belastung konnte nicht geladen werden.',
  managersOnly: 'Die Belastung des ganzen Teams sehen nur Manager*innen. Deine eigene Zahl steht auf der Seite „Prüfen“.',
  period: 'Zeitraum',
  lastDays: (n) => `Letzte ${n} Tage`,
  empty: 'In diesem Zeitraum hat niemand belastende Beiträge gesehen.',
  person: 'Person',
  total: 'Gesamt',
  perDay: 'Belastende Beiträge pro Tag',
  busiest: 'Höchstens an einem Tag',
  chartLabel: (name, total) => `${name}: ${total} belastende Beiträge`,
};

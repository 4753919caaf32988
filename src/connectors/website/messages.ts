// The widget's words, in the visitor's language (the page's lang attribute): German first.
export const en = {
  title: 'Comments',
  empty: 'No comments yet. Be the first.',
  name: 'Your name',
  text: 'Your comment',
  send: 'Send comment',
  sending: 'Sending …',
  held: 'Thank you! Your comment appears once someone has approved it.',
  shown: 'Thank you! Your comment is online.',
  tooMany: 'You have written a lot just now. Please wait a few minutes.',
  failed: 'That did not work. Please try again later.',
  loadFailed: 'The comments could not be loaded.',
};
export const de: typeof en = {
  title: 'Kommentare',
  empty: 'Noch keine Kommentare. Schreib den ersten.',
  name: 'Dein Name',
  text: 'Dein Kommentar',
  send: 'Kommentar senden',
  sending: 'Wird gesendet …',
  held: 'Danke! Dein Kommentar erscheint, sobald ihn jemand freigegeben hat.',
  shown: 'Danke! Dein Kommentar ist online.',
  tooMany: 'Du hast gerade viel geschrieben. Warte bitte ein paar Minuten.',
  failed: 'Das hat nicht geklappt. Versuch es bitte später noch einmal.',
  loadFailed: 'Die Kommentare konnten nicht geladen werden.',
};

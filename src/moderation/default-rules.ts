// The rules a new workspace starts with: cautious. Clear threats and slurs are held for a
// person to look at, nothing is deleted automatically, and a moderator can change all of it.
export const DEFAULT_RULES = `# Allmende – Startregeln / starting rules. Bearbeiten erlaubt / edit freely.

rule "Drohungen zur Prüfung zurückhalten"
  when words.threat >= 1 or score.threat >= 0.8
  then hold
  reason "mögliche Drohung / possible threat"

rule "Beleidigungen und Hassrede zurückhalten"
  when words.slur >= 1 or words.insult >= 1 or score.offensive >= 0.9
  unless author.trusted
  then hold
  reason "mögliche Beleidigung oder Hassrede / possible insult or hate speech"

rule "Spam zurückhalten"
  when words.spam >= 1 or score.spam >= 0.9
  then hold
  reason "möglicher Spam / possible spam"
`;

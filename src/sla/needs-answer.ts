// "Needs an answer": does an inbound item ask something of the team? A question, a complaint or a
// request does; a "thanks!", applause or an emoji does not. The rules below are the starting point
// for every workspace (German and English); a small learned model trained on the team's own
// corrections takes over where it is sure (needs-answer-model.ts). Every verdict carries its reason.

export type NeedsAnswerLabel = 'needs_answer' | 'no_answer_needed';
export type NeedsAnswerReason = 'question' | 'complaint' | 'request' | 'thanks' | 'nothing_asked' | 'model';

export interface NeedsAnswerVerdict {
  label: NeedsAnswerLabel;
  /** 0..1, how strongly the item needs an answer. */
  score: number;
  reason: NeedsAnswerReason;
  /** The words that decided it, as written in the text. */
  matched: string | null;
}

// Word boundaries that know umlauts and ß (\b does not).
const W = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const words = (list: string[]) => new RegExp(`${W}(?:${list.join('|')})${E}`, 'iu');

const QUESTION_OPENERS = words([
  // German
  'wer', 'wie', 'was', 'wann', 'wo', 'wohin', 'woher', 'warum', 'wieso', 'weshalb', 'weswegen', 'welche[rsmn]?', 'wieviel(?:e)?',
  'gibt es', 'kann man', 'kann ich', 'könnt ihr', 'können sie', 'habt ihr', 'haben sie', 'ist es', 'ist das', 'sind die',
  // English
  'who', 'what', 'when', 'where', 'why', 'how', 'which', 'is there', 'are there', 'can i', 'can you', 'could you', 'do you', 'does',
  'did', 'will', 'would you', 'is it', 'is this', 'are you', 'any update', 'any news',
]);

const COMPLAINT = words([
  // German
  'funktioniert (?:nicht|immer noch nicht|schon wieder nicht)', 'geht (?:nicht|gar nicht|schon wieder nicht)', 'kaputt', 'defekt',
  'beschwer\\p{L}*', 'unzufrieden', 'enttäuscht', 'enttäuschend', 'ärgerlich', 'frechheit', 'unverschämt\\p{L}*', 'störung', 'ausfall',
  'immer noch nicht', 'schon wieder', 'seit (?:tagen|wochen|stunden)', 'keine antwort', 'niemand antwortet', 'katastrophe', 'zumutung',
  'fehler', 'verspätung', 'zu spät', 'nicht gekommen', 'nicht angekommen', 'abgebucht', 'rückerstattung',
  // English
  "(?:does ?n[o']?t|doesn't|isn't|is not|not) work(?:ing)?", 'broken', 'complain\\p{L}*', 'disappointed', 'disappointing', 'unacceptable',
  'outage', 'still (?:not|no|waiting)', 'again and again', 'for (?:days|weeks|hours)', 'no (?:reply|response|answer)', 'refund',
  'charged twice', 'never arrived', 'terrible service', 'ridiculous', 'error',
]);

const REQUEST = words([
  // German
  'bitte', 'könntet ihr', 'könnten sie', 'würdet ihr', 'ich brauche', 'wir brauchen', 'ich möchte', 'ich hätte gern(?:e)?', 'helft',
  'hilfe bitte', 'brauche hilfe', 'meldet euch', 'melden sie sich', 'ruft mich', 'schreibt mir', 'ich bitte', 'bitte um', 'anfrage',
  // English
  'please', 'pls', 'plz', 'i need', 'we need', 'i would like', "i'd like", 'help me', 'need help', 'let me know', 'contact me',
  'get back to me', 'dm me', 'call me', 'can someone', 'could someone', 'requesting', 'request',
]);

const THANKS = words([
  'danke(?: ?schön| sehr| euch| dir)?', 'vielen dank', 'merci', 'super', 'toll', 'klasse', 'prima', 'top', 'spitze', 'genial', 'cool', 'gerne',
  'thanks?(?: you| a lot| so much)?', 'thx', 'ty', 'great', 'awesome', 'love it', 'perfect', 'nice', 'cheers', 'lol', 'haha', 'ok(?:ay)?', 'alles klar',
]);

/** A question mark that ends a sentence (not one inside a link such as "?id=3"). */
const QUESTION_MARK = /[?？¿](?=\s|$|[)"'»«“”]|\p{Emoji_Presentation})/u;
const ONLY_SYMBOLS = /^[\p{P}\p{S}\p{Z}\p{Emoji_Presentation}\p{Extended_Pictographic}\u200d\ufe0f\s\d]*$/u;

function firstMatch(re: RegExp, text: string): string | null {
  const m = re.exec(text);
  return m ? m[0] : null;
}

/** The rule-based verdict for one normalised text. */
export function detectNeedsAnswer(text: string): NeedsAnswerVerdict {
  const t = text.replace(/https?:\/\/\S+/g, ' ').trim();
  if (!t || ONLY_SYMBOLS.test(t)) return { label: 'no_answer_needed', score: 0.05, reason: 'thanks', matched: text.trim().slice(0, 40) || null };
  // Complaints first: "Warum geht das schon wieder nicht?" is a complaint before it is a question.
  const complaint = firstMatch(COMPLAINT, t);
  if (complaint) return { label: 'needs_answer', score: 0.9, reason: 'complaint', matched: complaint };
  const mark = firstMatch(QUESTION_MARK, t);
  if (mark) {
    // The words of the sentence that ends with the question mark.
    const end = t.search(QUESTION_MARK);
    const start = Math.max(t.lastIndexOf('.', end - 1), t.lastIndexOf('!', end - 1)) + 1;
    return { label: 'needs_answer', score: 0.9, reason: 'question', matched: t.slice(start, end + 1).trim().slice(-80) };
  }
  const request = firstMatch(REQUEST, t);
  if (request) return { label: 'needs_answer', score: 0.8, reason: 'request', matched: request };
  // A question without its question mark, as people type on phones: it must open the sentence.
  const opener = QUESTION_OPENERS.exec(t);
  if (opener && (opener.index === 0 || /[.!]\s*$/.test(t.slice(0, opener.index)))) return { label: 'needs_answer', score: 0.7, reason: 'question', matched: opener[0] };
  const thanks = firstMatch(THANKS, t);
  if (thanks) return { label: 'no_answer_needed', score: 0.1, reason: 'thanks', matched: thanks };
  return { label: 'no_answer_needed', score: 0.3, reason: 'nothing_asked', matched: null };
}

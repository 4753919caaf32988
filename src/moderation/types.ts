// What moderation's parts exchange: word-list hits, classifier scores, and the facts rules read.
export const CATEGORIES = ['insult', 'threat', 'slur', 'profanity', 'spam'] as const;
export type Category = (typeof CATEGORIES)[number];

/** A word-list match, with where it stands in the text a person reads (the normalised text). */
export interface WordHit {
  list: string;          // e.g. 'de', 'en', or a workspace list's name
  category: Category;
  term: string;          // the list entry that matched
  matched: string;       // the text as written at that place
  start: number;         // offsets into the normalised text
  end: number;
}

/** Classifier labels Allmende knows; a score is the probability-like confidence 0..1. */
export const LABELS = ['offensive', 'threat', 'spam'] as const;
export type Label = (typeof LABELS)[number];
export interface ClassifierScores { model: string; scores: Partial<Record<Label, number>> }

/** Everything a rule may look at about one item. */
export interface RuleInput {
  text: string;              // normalised (what people read)
  folded: string;            // folded for matching
  language: string | null;
  platform: string;
  connection: string;        // the connection's name
  kind: string;
  links: string[];
  domains: string[];
  words: WordHit[];
  scores: Partial<Record<Label, number>>;
  /** Misinformation signals (src/misinfo); absent or null parts are unknown. */
  misinfo?: {
    claimScore: number | null;       // the best-matching known claim's score
    claimVerdict: string | null;     // that claim's verdict
    domainCategory: string | null;   // the most severe category among the item's listed domains
    campaignItems: number | null;    // size of the suspected campaign the item belongs to
    campaignAccounts: number | null;
    linkNewAccounts: number | null;        // new accounts that posted the item's link within the window (a link wave)
    threadFirstTimeAuthors: number | null; // first-time authors in the item's thread within the window (a burst)
  };
  author: {
    handle: string | null;
    accountAgeDays: number | null;  // null when the platform does not tell
    removals: number;               // items of this author hidden/deleted in Allmende
    trusted: boolean;
    known: boolean;                 // seen before in this workspace
  };
}

export const RULE_ACTIONS = ['hold', 'hide', 'delete', 'reply', 'label', 'assign', 'ban', 'mute', 'notify'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];
export interface RuleActionSpec { action: RuleAction; value?: string }

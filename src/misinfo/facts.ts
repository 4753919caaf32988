// What the rules see of an item's misinformation signals (RuleInput.misinfo).
import type { RuleInput } from '../moderation/types.js';

const SEVERITY = ['trusted', 'satire', 'spam', 'state_affiliated', 'unreliable'];

export function misinfoFacts(signals: { kind: string; label: string | null; score: number | null; evidence: any }[]): RuleInput['misinfo'] {
  const facts: NonNullable<RuleInput['misinfo']> = { claimScore: null, claimVerdict: null, domainCategory: null, campaignItems: null, campaignAccounts: null, linkNewAccounts: null, threadFirstTimeAuthors: null };
  for (const s of signals) {
    if (s.kind === 'claim' && s.score !== null && s.score > (facts.claimScore ?? -1)) { facts.claimScore = s.score; facts.claimVerdict = s.label; }
    else if (s.kind === 'domain' && s.label && SEVERITY.indexOf(s.label) > SEVERITY.indexOf(facts.domainCategory ?? '')) facts.domainCategory = s.label;
    else if (s.kind === 'campaign') {
      facts.campaignItems = Math.max(facts.campaignItems ?? 0, Number(s.evidence?.items ?? 0));
      facts.campaignAccounts = Math.max(facts.campaignAccounts ?? 0, Number(s.evidence?.accounts ?? 0));
    }
    else if (s.kind === 'link_wave') facts.linkNewAccounts = Math.max(facts.linkNewAccounts ?? 0, Number(s.evidence?.newAccounts ?? 0));
    else if (s.kind === 'newcomer_burst') facts.threadFirstTimeAuthors = Math.max(facts.threadFirstTimeAuthors ?? 0, Number(s.evidence?.authors ?? 0));
  }
  return facts;
}

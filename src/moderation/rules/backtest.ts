// "This rule would have hidden these 37 items last month": rules run over past items, counted per
// rule. Pure: the caller reads the items (in pages, from the database) and passes their inputs.
// Disabled rules are included by default — testing a rule before it goes live is the point.
import type { RuleActionSpec, RuleInput } from '../types.js';
import { evaluateRulesReport, type CompiledRule, type Evidence } from './evaluate.js';

export interface BacktestMatch<Id = string | number> {
  itemId: Id;
  rule: string;
  actions: RuleActionSpec[];
  reason: string;
  evidence: Evidence[];
}

export interface BacktestResult<Id = string | number> {
  /** Items looked at. */
  tested: number;
  /** One entry per item and rule that applies, in input order (at most `maxMatches`). */
  matched: BacktestMatch<Id>[];
  /** Rule name → number of items the rule applies to (every rule is listed, also with 0). */
  perRule: Record<string, number>;
  /** Rule name → items that met `when` but were spared by `unless`. */
  exempted: Record<string, number>;
  /** Items the rules saw only partly (very long text, regex work limit). */
  partial: number;
  /** `matched` was cut at `maxMatches`; the counts are complete. */
  truncated: boolean;
}

export interface BacktestOptions {
  /** Default true. */
  includeDisabled?: boolean;
  /** Default 10,000. */
  maxMatches?: number;
}

class Tally<Id> {
  readonly result: BacktestResult<Id>;
  private readonly max: number;
  private readonly includeDisabled: boolean;

  constructor(private readonly rules: readonly CompiledRule[], options: BacktestOptions) {
    this.max = options.maxMatches ?? 10_000;
    this.includeDisabled = options.includeDisabled ?? true;
    // No prototype: rule names are user text ("__proto__", "constructor").
    const perRule = Object.create(null) as Record<string, number>;
    const exempted = Object.create(null) as Record<string, number>;
    for (const r of rules) {
      if (!r.enabled && !this.includeDisabled) continue;
      perRule[r.name] = 0;
      exempted[r.name] = 0;
    }
    this.result = { tested: 0, matched: [], perRule, exempted, partial: 0, truncated: false };
  }

  add(itemId: Id, input: RuleInput): void {
    const res = this.result;
    const report = evaluateRulesReport(this.rules, input, { includeDisabled: this.includeDisabled });
    res.tested++;
    if (report.textCut || report.skipped > 0) res.partial++;
    for (const name of report.exempted) res.exempted[name]++;
    for (const v of report.verdicts) {
      res.perRule[v.rule]++;
      if (res.matched.length < this.max) {
        res.matched.push({ itemId, rule: v.rule, actions: v.actions, reason: v.reason, evidence: v.evidence });
      } else res.truncated = true;
    }
  }
}

export function backtestRules<Id = string | number>(
  rules: readonly CompiledRule[],
  inputs: Iterable<{ itemId: Id; input: RuleInput }>,
  options: BacktestOptions = {},
): BacktestResult<Id> {
  const tally = new Tally<Id>(rules, options);
  for (const { itemId, input } of inputs) tally.add(itemId, input);
  return tally.result;
}

/** The same over an async source (a database cursor, pages of items); `onProgress` gets the count so far. */
export async function backtestRulesAsync<Id = string | number>(
  rules: readonly CompiledRule[],
  inputs: AsyncIterable<{ itemId: Id; input: RuleInput }> | Iterable<{ itemId: Id; input: RuleInput }>,
  options: BacktestOptions & { onProgress?: (tested: number) => void; progressEvery?: number } = {},
): Promise<BacktestResult<Id>> {
  const tally = new Tally<Id>(rules, options);
  const every = options.progressEvery ?? 1_000;
  for await (const { itemId, input } of inputs) {
    tally.add(itemId, input);
    if (options.onProgress && tally.result.tested % every === 0) options.onProgress(tally.result.tested);
  }
  options.onProgress?.(tally.result.tested);
  return tally.result;
}

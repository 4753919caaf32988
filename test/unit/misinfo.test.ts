// Misinformation building blocks: links and registrable domains, shortener resolution against a
// real local server (limits, SSRF refusal), ClaimReview/CSV import, claim matching with the
// passage, near-copy signatures, and the rule fields claim.*, domain.category, campaign.*.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extractLinks } from '../../src/core/text/links.js';
import { registrableDomain, parseDomainsCsv, domainsCsv } from '../../src/misinfo/domains.js';
import { resolveLink, isShortened } from '../../src/misinfo/unshorten.js';
import { parseClaimReview, parseClaimsCsv, verdictOf } from '../../src/misinfo/claimreview.js';
import { ClaimIndex, CLAIM_THRESHOLD } from '../../src/misinfo/claim-index.js';
import { signature, signatureOfFolded, similarity, bandKeys, SIMILAR } from '../../src/misinfo/minhash.js';
import { misinfoFacts } from '../../src/misinfo/facts.js';
import { compileRules, evaluateRules } from '../../src/moderation/rules/evaluate.js';
import { normaliseText } from '../../src/core/text/normalise.js';
import type { RuleInput } from '../../src/moderation/types.js';

describe('links and domains', () => {
  it('extracts links without trailing punctuation', () => {
    expect(extractLinks('Schaut (https://bit.ly/3xYz). Und https://example.org/a?b=1, ok!')).toEqual(['https://bit.ly/3xYz', 'https://example.org/a?b=1']);
  });
  it('reduces to the registrable domain with the Public Suffix List', () => {
    expect(registrableDomain('https://news.bbc.co.uk/x')).toBe('bbc.co.uk');
    expect(registrableDomain('https://wahrheit.blogspot.com/2024/01/post.html')).toBe('wahrheit.blogspot.com');
    expect(registrableDomain('https://a.b.example.de/')).toBe('example.de');
    expect(registrableDomain('WWW.Example.ORG.')).toBe('example.org');
    expect(registrableDomain('https://127.0.0.1/x')).toBeNull();
    expect(registrableDomain('co.uk')).toBeNull();
  });
  it('reads a domain CSV naming bad lines, and writes one spreadsheets do not run as formulas', () => {
    const r = parseDomainsCsv('domain,category,note\nrt.com,state-affiliated,Staatssender\n???,spam,\nx.org,gut,\n');
    expect(r.entries).toEqual([{ domain: 'rt.com', category: 'state_affiliated', note: 'Staatssender' }]);
    expect(r.problems.map((p) => `${p.entry} ${p.field}`)).toEqual(['line 3 domain', 'line 4 category']);
    expect(domainsCsv([{ domain: 'a.de', category: 'spam', note: '=HYPERLINK("x")' }])).toBe('domain,category,note\r\na.de,spam,"\'=HYPERLINK(""x"")"\r\n');
  });
});

describe('shortener resolution', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/s/ok') { res.writeHead(301, { location: 'https://wahrheit-jetzt.example/artikel' }); return res.end(); }
      if (path === '/s/loop') { res.writeHead(302, { location: '/s/loop2' }); return res.end(); }
      if (path === '/s/loop2') { res.writeHead(302, { location: '/s/loop' }); return res.end(); }
      if (path.startsWith('/s/chain/')) { res.writeHead(302, { location: `/s/chain/${Number(path.split('/')[3]) + 1}` }); return res.end(); }
      if (path === '/s/hang') { res.writeHead(200); res.write('x'); return; }
      if (path === '/s/silent') return; // never answers
      if (path === '/s/internal') { res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }); return res.end(); }
      if (path === '/s/a') { res.writeHead(301, { location: '/s/b' }); return res.end(); }
      if (path === '/s/b') { res.writeHead(302, { location: '/artikel/42' }); return res.end(); }
      if (path === '/artikel/42') { res.writeHead(200, { 'content-type': 'text/html' }); return res.end('<p>Artikel</p>'); }
      if (path === '/s/nohead') { if (req.method === 'HEAD') { res.writeHead(405); return res.end(); } res.writeHead(302, { location: '/artikel/42' }); return res.end(); }
      res.writeHead(404); res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server?.close());

  it('knows shortener hosts', () => {
    expect(isShortened('https://bit.ly/abc')).toBe(true);
    expect(isShortened('https://example.org/abc')).toBe(false);
  });
  it('follows the redirects to where the link leads, also where HEAD is refused', async () => {
    expect(await resolveLink(`${base}/s/a`, { allowPrivate: true })).toEqual({ from: `${base}/s/a`, to: `${base}/artikel/42` });
    expect(await resolveLink(`${base}/s/nohead`, { allowPrivate: true })).toEqual({ from: `${base}/s/nohead`, to: `${base}/artikel/42` });
  });
  it('cuts off loops, long chains and hanging servers within the limits', async () => {
    expect((await resolveLink(`${base}/s/loop`, { allowPrivate: true })).error).toMatch(/^redirect_loop/);
    expect((await resolveLink(`${base}/s/chain/0`, { allowPrivate: true })).error).toMatch(/^too_many_redirects/);
    const t0 = Date.now();
    const hang = await resolveLink(`${base}/s/hang`, { allowPrivate: true, timeoutMs: 500 });
    expect(hang).toMatchObject({ to: null, error: expect.stringMatching(/^timeout/) });
    const silent = await resolveLink(`${base}/s/silent`, { allowPrivate: true, timeoutMs: 500 });
    expect(silent.error).toMatch(/^timeout/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
  it('refuses internal addresses outside tests, also behind a redirect', async () => {
    expect((await resolveLink(`${base}/s/ok`)).error).toMatch(/^private_address/);
    expect((await resolveLink('http://169.254.169.254/latest/meta-data/')).error).toMatch(/^private_address/);
    expect((await resolveLink(`${base}/s/internal`, { allowPrivate: false })).error).toMatch(/^private_address/);
  });
});

describe('ClaimReview and CSV import', () => {
  const review = (o: object) => ({ '@type': 'ClaimReview', url: 'https://fc.example/1', claimReviewed: 'Windräder verursachen Krebs.', inLanguage: 'de', reviewRating: { '@type': 'Rating', alternateName: 'Falsch' }, ...o });
  it('reads a single object, an array and a @graph', () => {
    expect(parseClaimReview(JSON.stringify(review({}))).claims).toEqual([{ textDe: 'Windräder verursachen Krebs.', textEn: null, verdict: 'false', factCheckUrl: 'https://fc.example/1', replyDe: null, replyEn: null }]);
    expect(parseClaimReview(JSON.stringify([review({}), review({ inLanguage: 'en', claimReviewed: 'Wind turbines cause cancer.', reviewRating: { alternateName: 'Mostly False' } })])).claims.map((c) => [c.textEn, c.verdict]))
      .toEqual([[null, 'false'], ['Wind turbines cause cancer.', 'misleading']]);
    expect(parseClaimReview(JSON.stringify({ '@context': 'https://schema.org', '@graph': [{ '@type': 'WebPage' }, review({ reviewRating: { ratingValue: 1, bestRating: 5, worstRating: 1 } })] })).claims[0].verdict).toBe('false');
  });
  it('names the entry and the field of every problem', () => {
    const r = parseClaimReview(JSON.stringify([review({}), review({ url: 'https://fc.example/2', claimReviewed: '' }), review({ url: 'https://fc.example/3', reviewRating: { alternateName: 'Hmm' } }), review({ url: 'javascript:alert(1)' })]));
    expect(r.problems.map((p) => `${p.entry} | ${p.field}`)).toEqual([
      'ClaimReview 2 (https://fc.example/2) | claimReviewed',
      'ClaimReview 3 (https://fc.example/3) | reviewRating.alternateName',
      'ClaimReview 4 (javascript:alert(1)) | url',
    ]);
    expect(parseClaimReview('{nope').problems[0]).toMatchObject({ entry: 'file', field: '(json)' });
    expect(parseClaimReview('{"@type":"Article"}').problems[0]).toMatchObject({ field: '@type' });
  });
  it('reads CSV with the columns documented, naming bad lines', () => {
    const r = parseClaimsCsv('text_de,text_en,verdict,fact_check_url,reply_de,reply_en\nA,B,false,https://fc.example/a,Nein,No\n,,false,,,\nC,,Irreführend,ftp://x,,\n');
    expect(r.claims).toEqual([{ textDe: 'A', textEn: 'B', verdict: 'false', factCheckUrl: 'https://fc.example/a', replyDe: 'Nein', replyEn: 'No' }]);
    expect(r.problems.map((p) => `${p.entry} ${p.field}`)).toEqual(['line 3 text_de', 'line 4 fact_check_url']);
  });
  it('maps fact-checkers\' ratings to verdicts', () => {
    expect(['Falsch', 'Pants on Fire!', 'Fehlender Kontext', 'Satire', 'Richtig', 'Teilweise falsch'].map(verdictOf)).toEqual(['false', 'false', 'missing_context', 'satire', 'true', 'misleading']);
  });
});

describe('claim matching', () => {
  const index = new ClaimIndex([
    { id: 'wind', texts: ['Windräder verursachen Krebs bei Anwohnern.', 'Wind turbines cause cancer in people living nearby.'] },
    { id: 'bus', texts: ['Die Buslinie 7 wird ab Montag eingestellt.'] },
  ]);
  it('finds a paraphrase in either language with the passage', () => {
    const text = 'Ehrlich jetzt: Wer neben Windrädern wohnt, bekommt Krebs. Die Anwohner sind alle krank.';
    const [m] = index.match(text, CLAIM_THRESHOLD);
    expect(m.claimId).toBe('wind');
    expect(text.slice(m.start, m.end)).toBe(m.passage);
    expect(m.passage).toBe('Windrädern wohnt, bekommt Krebs. Die Anwohner');
    expect(index.match('living next to wind turbines gives you cancer', CLAIM_THRESHOLD)[0]?.claimId).toBe('wind');
  });
  it('does not match a text that only shares the topic', () => {
    expect(index.match('Wie viele Windräder sollen am Stadtrand gebaut werden?', CLAIM_THRESHOLD)).toEqual([]);
    expect(index.match('Fährt die Buslinie 8 am Sonntag?', CLAIM_THRESHOLD)).toEqual([]);
  });
});

describe('near-copies', () => {
  const base = 'Wacht auf! Die Stadt verkauft heimlich unser Trinkwasser an einen Konzern, teilt das bevor es gelöscht wird';
  it('sees small edits, emoji and spacing as the same text and a different text as different', () => {
    const a = signature(base)!;
    for (const v of [base.toUpperCase(), base + ' 😡😡😡', base.replace(/ /g, '   '), base.replace('heimlich', 'ganz heimlich'), base.replace('Trinkwasser', 'Trinkwaser')]) {
      expect(similarity(a, signature(v)!)).toBeGreaterThanOrEqual(SIMILAR);
    }
    const other = signature('Die Stadt baut endlich den neuen Radweg an der Hauptstraße, danke an alle, die sich eingesetzt haben')!;
    expect(similarity(a, other)).toBeLessThan(0.2);
    expect(bandKeys(a).some((k, i) => k === bandKeys(signature(base + ' !!')!)[i])).toBe(true);
    expect(signature('Danke!')).toBeNull();
  });
  it('gives the same signature from the pipeline\'s folded text as from the text', () => {
    for (const v of [base, 'W4cht auf!!! Die S t a d t verkauft heimlich unser Trinkwasser 😡', 'Danke!']) {
      expect(signatureOfFolded(normaliseText(v).folded)).toEqual(signature(v));
    }
  });
});

describe('rule fields', () => {
  const input = (signals: Parameters<typeof misinfoFacts>[0]): RuleInput => {
    const { normalised, folded } = normaliseText('text');
    return { text: normalised, folded, language: 'de', platform: 'forum', connection: 'c', kind: 'comment', links: [], domains: [], words: [], scores: {}, misinfo: misinfoFacts(signals), author: { handle: null, accountAgeDays: null, removals: 0, trusted: false, known: false } };
  };
  const applies = (when: string, i: RuleInput) => {
    const r = compileRules(`rule "r"\n  when ${when}\n  then hold\n  reason "x"\n`);
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
    return evaluateRules(r.rules, i).length === 1;
  };
  const claim = { kind: 'claim', label: 'false', score: 0.85, evidence: {} };
  it('reads claim score and verdict, the most severe listed domain and the campaign size', () => {
    const i = input([claim, { kind: 'claim', label: 'misleading', score: 0.5, evidence: {} }, { kind: 'domain', label: 'satire', score: 1, evidence: {} }, { kind: 'domain', label: 'unreliable', score: 1, evidence: {} }, { kind: 'campaign', label: 'copies', score: 0.9, evidence: { items: 40, accounts: 31 } }]);
    expect(applies('claim.score >= 0.8 and claim.verdict is "false"', i)).toBe(true);
    expect(applies('claim.verdict is "misleading"', i)).toBe(false);
    expect(applies('domain.category is "unreliable"', i)).toBe(true);
    expect(applies('campaign.accounts >= 30 and campaign.items > 39', i)).toBe(true);
    const none = input([]);
    expect(applies('claim.score >= 0.1', none)).toBe(false);
    expect(applies('claim.verdict is unknown and campaign.accounts is unknown', none)).toBe(true);
  });
  it('refuses an unknown verdict or category, in German too', () => {
    const r = compileRules('rule "r"\n  when claim.verdict is "fals"\n  then hold\n  reason "x"\n');
    expect(r.ok).toBe(false);
    if (!r.ok) { expect(r.errors[0].message).toContain('"false"'); expect((r.errors[0] as any).messageDe ?? '').toContain('Bewertung'); }
    expect(compileRules('rule "r"\n  when domain.category is "propaganda"\n  then hold\n  reason "x"\n').ok).toBe(false);
  });
});

// Suspected coordinated campaigns: near-copies of one text from many accounts within a time
// window. Each new text is compared with the recent texts that share a MinHash band with it
// (newest first); it joins the campaign of the first near-copy that is in one, or, when its
// near-copies (with it) come from enough accounts, they become a new campaign together. The steps
// are here once; where the texts are remembered is a NearCopyStore (the database in the app,
// memory in the bench).
import { signature, bandKeys, similarity, SIMILAR } from './minhash.js';

/**
 * Near-copies compared per item at most (the newest): a wave of identical texts would otherwise
 * compare each copy with every earlier one; a few hundred are evidence enough.
 */
export const MAX_CANDIDATES = 200;

export interface NearCopyItem { id: number; workspaceId: string; text: string; author: string | null; createdAt: Date }
export interface Candidate { id: number; signature: ArrayLike<number>; author: string | null; campaignId: number | null; createdAt: Date }
export interface CampaignSettings { minAccounts: number; windowHours: number }
export interface Member { id: number; similarity: number; createdAt: Date }

export interface NearCopyStore {
  /** Items sharing a band with `bands` inside the window, the newest first, at most MAX_CANDIDATES. */
  candidates(workspaceId: string, bands: number[], since: Date, until: Date, exclude: number): Promise<Candidate[]> | Candidate[];
  remember(item: NearCopyItem, signature: Int32Array, bands: number[]): void;
  /** Adds items to a campaign (a store may write them later, all at once). */
  join(campaignId: number, members: Member[]): void;
  /** A new campaign of these members; returns its id. */
  create(item: NearCopyItem, members: Member[]): Promise<number> | number;
}

/** `members`: the items that formed a new campaign (the item itself first); empty when it joined one. */
export interface CampaignHit { campaignId: number; similarity: number; created: boolean; members: Member[]; accounts: number }

/** `sig`: the item's signature when the caller computed it already (signature(item.text)). */
export async function assignNearCopy(store: NearCopyStore, item: NearCopyItem, settings: CampaignSettings, sig = signature(item.text)): Promise<CampaignHit | null> {
  if (!sig) return null;
  const bands = bandKeys(sig);
  const window = settings.windowHours * 3_600_000;
  const found = await store.candidates(item.workspaceId, bands, new Date(item.createdAt.getTime() - window), new Date(item.createdAt.getTime() + window), item.id);
  store.remember(item, sig, bands);
  // One near-copy already in a campaign is enough: comparing the rest of a large campaign (a
  // wave of hundreds of copies) would only confirm it.
  const close: Member[] = [];
  const accounts = new Set<string>([item.author ?? `item:${item.id}`]);
  let best = 0;
  for (const c of found) {
    const s = similarity(sig, c.signature);
    if (s < SIMILAR) continue;
    if (c.campaignId !== null) {
      const member = { id: item.id, similarity: s, createdAt: item.createdAt };
      store.join(c.campaignId, [member]);
      return { campaignId: c.campaignId, similarity: s, created: false, members: [], accounts: 0 };
    }
    close.push({ id: c.id, similarity: s, createdAt: c.createdAt });
    accounts.add(c.author ?? `item:${c.id}`);
    if (s > best) best = s;
  }
  if (!close.length || accounts.size < settings.minAccounts) return null;
  const members = [{ id: item.id, similarity: best, createdAt: item.createdAt }, ...close];
  const id = await store.create(item, members);
  return { campaignId: id, similarity: best, created: true, members, accounts: accounts.size };
}

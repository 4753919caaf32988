// Suspected coordinated campaigns: near-copies of one text from many accounts within a time
// window. Each new text is compared with the recent texts that share a MinHash band with it;
// it joins the campaign of its closest near-copy, or, when its near-copies (with it) come from
// enough accounts, they become a new campaign together. The steps are here once; where the
// texts are remembered is a NearCopyStore (the database in the app, memory in the bench).
import { signature, bandKeys, similarity, SIMILAR } from './minhash.js';

export interface NearCopyItem { id: number; workspaceId: string; text: string; author: string | null; createdAt: Date }
export interface Candidate { id: number; signature: ArrayLike<number>; author: string | null; campaignId: number | null; createdAt: Date }
export interface CampaignSettings { minAccounts: number; windowHours: number }

export interface NearCopyStore {
  candidates(workspaceId: string, bands: number[], since: Date, until: Date, exclude: number): Promise<Candidate[]>;
  remember(item: NearCopyItem, signature: Int32Array, bands: number[]): Promise<void>;
  /** Adds items to a campaign; returns its size in items and accounts. */
  join(campaignId: number, items: { id: number; similarity: number; createdAt: Date }[]): Promise<{ items: number; accounts: number }>;
  create(item: NearCopyItem, members: { id: number; similarity: number; createdAt: Date }[]): Promise<number>;
}

export interface CampaignHit { campaignId: number; similarity: number; items: number; accounts: number; created: boolean }

/** `sig`: the item's signature when the caller computed it already (signature(item.text)). */
export async function assignNearCopy(store: NearCopyStore, item: NearCopyItem, settings: CampaignSettings, sig = signature(item.text)): Promise<CampaignHit | null> {
  if (!sig) return null;
  const bands = bandKeys(sig);
  const window = settings.windowHours * 3_600_000;
  const found = await store.candidates(item.workspaceId, bands, new Date(item.createdAt.getTime() - window), new Date(item.createdAt.getTime() + window), item.id);
  await store.remember(item, sig, bands);
  const close = found.map((c) => ({ ...c, similarity: similarity(sig, c.signature) })).filter((c) => c.similarity >= SIMILAR);
  if (!close.length) return null;
  const inCampaign = close.filter((c) => c.campaignId !== null).sort((a, b) => b.similarity - a.similarity)[0];
  if (inCampaign) {
    const size = await store.join(inCampaign.campaignId!, [{ id: item.id, similarity: inCampaign.similarity, createdAt: item.createdAt }]);
    return { campaignId: inCampaign.campaignId!, similarity: inCampaign.similarity, ...size, created: false };
  }
  const accounts = new Set(close.map((c) => c.author ?? `item:${c.id}`));
  accounts.add(item.author ?? `item:${item.id}`);
  if (accounts.size < settings.minAccounts) return null;
  const best = Math.max(...close.map((c) => c.similarity));
  const id = await store.create(item, [{ id: item.id, similarity: best, createdAt: item.createdAt }, ...close.map((c) => ({ id: c.id, similarity: c.similarity, createdAt: c.createdAt }))]);
  return { campaignId: id, similarity: best, items: close.length + 1, accounts: accounts.size, created: true };
}

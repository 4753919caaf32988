// The misinformation API as the web app uses it.
import { request } from '../../api.js';

export interface MisinfoSignal { kind: 'claim' | 'domain' | 'campaign' | string; label: string | null; score: number | null; evidence: any }
export interface ClaimFigures {
  id: string; textDe: string | null; textEn: string | null; verdict: string; factCheckUrl: string | null;
  items: number; firstSeen: string | null; platforms: Record<string, number>; days: Record<string, number>; answeredShare: number | null; lastDay: number; rising: boolean;
}
export interface CampaignSummary { id: number; kind: string; sample: string; firstSeen: string; lastSeen: string; items: number; accounts: number; platforms: string[] }
export interface CampaignDetail extends Omit<CampaignSummary, 'items' | 'accounts'> {
  items: { id: number; platform: string; author: { handle: string | null; displayName: string | null }; text: string; createdAt: string; moderation: string; permalink: string | null; similarity: number }[];
  accounts: { id: string | null; handle: string | null; platform: string; items: number; itemsInWorkspace: number; accountCreated: string | null }[];
  timeline: { hour: string; items: number }[];
}
export interface DomainEntry { domain: string; category: string; note: string }
export interface MisinfoSettings {
  resolveShorteners: boolean; campaignMinAccounts: number; campaignWindowHours: number;
  linkWaveMinAccounts: number; linkWaveWindowHours: number; newAccountDays: number; newcomerMinAuthors: number; newcomerWindowMinutes: number;
}
export const DOMAIN_CATEGORIES = ['unreliable', 'satire', 'state_affiliated', 'spam', 'trusted'] as const;
export type CampaignAction = { action: 'hold' | 'hide' } | { action: 'label'; label: string } | { action: 'reply'; text: string };

export const misinfoApi = (workspace: string) => ({
  overview: (signal?: AbortSignal) => request<{ claims: ClaimFigures[] }>('GET', '/misinfo/claims/overview', { workspace, signal }),
  addClaim: (body: object) => request('POST', '/misinfo/claims', { workspace, body }),
  importClaims: (format: 'claimreview' | 'csv', content: string, name: string) => request<{ added: number; alreadyKnown: number }>('POST', '/misinfo/claims/import', { workspace, body: { format, content, name } }),
  campaigns: (signal?: AbortSignal) => request<{ campaigns: CampaignSummary[] }>('GET', '/misinfo/campaigns', { workspace, signal }),
  campaign: (id: number, signal?: AbortSignal) => request<CampaignDetail>('GET', `/misinfo/campaigns/${id}`, { workspace, signal }),
  campaignAction: (id: number, body: CampaignAction) => request<{ items: number; changed: number }>('POST', `/misinfo/campaigns/${id}/action`, { workspace, body }),
  domains: (signal?: AbortSignal) => request<{ domains: DomainEntry[] }>('GET', '/misinfo/domains', { workspace, signal }),
  saveDomains: (domains: DomainEntry[]) => request<{ saved: number }>('PUT', '/misinfo/domains', { workspace, body: { domains } }),
  importDomains: (content: string) => request<{ saved: number }>('POST', '/misinfo/domains/import', { workspace, body: { content } }),
  deleteDomain: (domain: string) => request('DELETE', `/misinfo/domains/${encodeURIComponent(domain)}`, { workspace }),
  settings: (signal?: AbortSignal) => request<MisinfoSettings>('GET', '/misinfo/settings', { workspace, signal }),
  saveSettings: (s: MisinfoSettings) => request<MisinfoSettings>('PUT', '/misinfo/settings', { workspace, body: s }),
  counterReply: (itemId: number, claimId: string) => request('POST', `/misinfo/items/${itemId}/counter-reply`, { workspace, body: { claimId } }),
});

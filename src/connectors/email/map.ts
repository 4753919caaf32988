// One parsed mail to a normalised item: threads by References / In-Reply-To / Message-ID, the
// sender as author, the plain text (mailparser turns HTML-only mail into text).
import type { ParsedMail, AddressObject } from 'mailparser';
import type { ItemInput } from '../../core/item.js';
import { extractLinks } from '../../core/text/links.js';

const DAY = 86_400_000;

const firstAddress = (a: AddressObject | AddressObject[] | undefined) => {
  const list = Array.isArray(a) ? a.flatMap((x) => x.value) : a?.value ?? [];
  const v = list.find((x) => x.address);
  return v ? { address: v.address!.toLowerCase(), name: v.name || null } : null;
};
const allAddresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a.flatMap((x) => x.value) : a?.value ?? []).map((v) => v.address?.toLowerCase()).filter((x): x is string => !!x);

export function referencesOf(mail: ParsedMail): string[] {
  const r = mail.references;
  return (Array.isArray(r) ? r : r ? r.split(/\s+/) : []).filter((x) => /^<[^<>\s]+>$/.test(x));
}

export interface MailPlace { uid: number; uidValidity: string; mailbox: string; internalDate: Date | null }

export function mailToItem(mail: ParsedMail, place: MailPlace): ItemInput | null {
  const from = firstAddress(mail.from);
  if (!from) return null;
  const messageId = mail.messageId && /^<[^<>\s]+>$/.test(mail.messageId) ? mail.messageId : null;
  const platformId = messageId ?? `uid:${place.uidValidity}:${place.uid}`;
  const refs = referencesOf(mail);
  const inReplyTo = typeof mail.inReplyTo === 'string' && /^<[^<>\s]+>$/.test(mail.inReplyTo.trim()) ? mail.inReplyTo.trim() : null;
  const text = (mail.text ?? '').replace(/\u0000/g, '').trim();
  // The sender's Date header is their clock; a day or more away from the server's arrival time
  // means a wrong clock, and the arrival time is used.
  const arrival = place.internalDate ?? new Date();
  const created = mail.date && Math.abs(mail.date.getTime() - arrival.getTime()) < DAY ? mail.date : arrival;
  return {
    platform: 'email',
    platformId,
    kind: 'email',
    threadId: refs[0] ?? inReplyTo ?? platformId,
    parentId: inReplyTo,
    author: { platformUserId: from.address, handle: from.address, displayName: from.name?.slice(0, 1000) ?? null },
    text: text || (mail.subject ?? ''),
    language: null,
    links: extractLinks(text).slice(0, 1000),
    media: [],
    createdAt: created.toISOString(),
    permalink: null,
    raw: {
      messageId, inReplyTo, references: refs, subject: mail.subject ?? null, from,
      replyTo: firstAddress(mail.replyTo), to: allAddresses(mail.to), cc: allAddresses(mail.cc),
      date: mail.date?.toISOString() ?? null, attachments: mail.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size })),
      uid: place.uid, uidValidity: place.uidValidity, mailbox: place.mailbox,
    },
  };
}

// Own website comments: a site embeds Allmende's comment widget (one script tag) and hosts its
// own conversation. Visitors' comments come in through the widget's endpoint (routes.ts) and go
// through the same pipeline; what the site shows is what Allmende holds visible, so hiding or
// deleting a comment here takes it off the page at once, with no platform to ask.
import { z } from 'zod';
import type { ConnectorDefinition, PlatformClient } from '../contract.js';

const settings = z.object({
  /** The site that embeds the widget; the only origin allowed to read and post (CORS). */
  origin: z.url({ protocol: /^https?$/ }).max(2048).transform((u) => new URL(u).origin),
  /** Off (pre-moderation): a comment waits until someone approves it. On: it shows at once and can be taken down. */
  postModeration: z.boolean().default(false),
});
type Settings = z.infer<typeof settings>;
const credentials = z.object({}).default({});

function open(s: Settings): PlatformClient {
  return {
    async perform(a) {
      if (a.type === 'hide' || a.type === 'unhide' || a.type === 'delete') {
        return { state: 'done', result: { note: `the widget on ${s.origin} shows only comments that are visible in Allmende` } };
      }
      return { state: 'unsupported', note: `the comment widget has no ${a.type}` };
    },
    async test() { return { account: s.origin }; },
  };
}

const noAccounts = { de: 'Die Kommentare deiner Website haben keine Konten, die man blockieren oder stummschalten könnte; verbirg einzelne Kommentare.', en: 'Your website\'s comments have no accounts to block or mute; hide single comments instead.' };
export const website: ConnectorDefinition<Settings, Record<string, never>> = {
  platform: 'website',
  read: ['webhook'],
  act: ['hide', 'unhide', 'delete'],
  missing: {
    reply: { de: 'Antworten auf der Website kommen noch; antworte bis dahin per E-Mail oder im Fediverse.', en: 'Replies on the website are not there yet; answer by e-mail or on the fediverse meanwhile.' },
    ban: noAccounts, mute: noAccounts,
    report: { de: 'Deine Website ist selbst die Stelle, an die gemeldet wird.', en: 'Your website is itself where reports go.' },
  },
  settings, credentials: credentials as unknown as z.ZodType<Record<string, never>>,
  pollEverySeconds: 3600,
  open,
};

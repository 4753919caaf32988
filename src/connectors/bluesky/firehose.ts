// Following a relay's or PDS's firehose (com.atproto.sync.subscribeRepos) for posts that concern
// the account: replies in its threads, mentions and quotes, seconds before the AppView turns them
// into notifications. It is the fast path only: the notification poll stays the complete one (it
// catches up whatever the firehose missed while Allmende was down), and ingest recognises a post
// both paths bring by its URI.
// Commits are read without checking the repository's signature: the firehose is one the
// workspace chose (its own PDS or a relay that verifies), and every item still goes through
// moderation like any other.
import { Firehose, type Event } from '@atproto/sync';
import { IdResolver } from '@atproto/identity';
import { reasonFor, type PostSeen } from './map.js';

const POST = 'app.bsky.feed.post';
/** Posts kept for the next poll at most; past this the oldest go (the notification poll has them). */
export const FIREHOSE_BUFFER = 5_000;

export interface FirehoseFollow { take(): PostSeen[]; stop(): Promise<void> }

export function followFirehose(service: string, accountDid: string, onPost: () => void, onError: (e: Error) => void): FirehoseFollow {
  let buffer: PostSeen[] = [];
  const firehose = new Firehose({
    service,
    idResolver: new IdResolver(),
    unauthenticatedCommits: true,
    unauthenticatedHandles: true,
    filterCollections: [POST],
    excludeIdentity: true, excludeAccount: true, excludeSync: true,
    handleEvent: (evt: Event) => {
      if (evt.event !== 'create' || evt.collection !== POST || evt.did === accountDid) return;
      const reason = reasonFor(evt.record, accountDid);
      if (!reason) return;
      buffer.push({ uri: evt.uri.toString(), cid: evt.cid.toString(), reason, author: { did: evt.did }, record: evt.record, indexedAt: null });
      if (buffer.length > FIREHOSE_BUFFER) buffer = buffer.slice(-FIREHOSE_BUFFER);
      onPost();
    },
    onError,
  });
  void firehose.start();
  return {
    take() { const out = buffer; buffer = []; return out; },
    stop: () => firehose.destroy(),
  };
}

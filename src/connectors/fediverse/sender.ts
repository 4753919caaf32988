// The fediverse settings of this process, and the one federation the outbox sends through.
// Sending needs no dispatchers: each action signs with its connection's own key pair.
import { createFederation, MemoryKvStore, type Federation } from '@fedify/fedify';

/**
 * Remote servers on loopback or private addresses are refused (fetching actors and keys, and
 * delivering), as every fetch of an outside address is. Tests that run a second ActivityPub
 * server on 127.0.0.1 set ALLMENDE_FEDIVERSE_ALLOW_PRIVATE=1.
 */
export const allowPrivateAddress = () => process.env.ALLMENDE_FEDIVERSE_ALLOW_PRIVATE === '1';

let sender: Federation<void> | null = null;
export function senderFederation(): Federation<void> {
  sender ??= createFederation<void>({ kv: new MemoryKvStore(), allowPrivateAddress: allowPrivateAddress() });
  return sender;
}

// The slot for the SLA countdown in the list row and the conversation header. Part B (SLAs)
// replaces this stub with the real badge; until then it shows nothing.
import type { Conversation } from './inboxApi.js';

export function SlaBadge(_props: { conversation: Conversation }) {
  return null;
}

// The next SLA due time of conversations shown on screen. Every badge asks for its conversation;
// the asks of one moment are sent as one request, and answers are kept briefly, so a list of 50
// rows costs one request every few seconds. The server's clock is the reference: the offset
// between it and this browser's clock is applied to every countdown.
import { useEffect, useState } from 'react';
import { sla, type DueSummary } from '../../slaApi.js';

const FRESH_MS = 5_000;
interface Entry { due: DueSummary | null; at: number; offsetMs: number }
const cache = new Map<string, Entry>();
const listeners = new Map<string, Set<() => void>>();
let pending = new Map<string, Set<number>>();
let timer: ReturnType<typeof setTimeout> | null = null;

const key = (workspace: string, id: number) => `${workspace}\u0000${id}`;

function flush() {
  timer = null;
  const batch = pending;
  pending = new Map();
  for (const [workspace, ids] of batch) {
    const list = [...ids];
    for (let i = 0; i < list.length; i += 200) {
      const chunk = list.slice(i, i + 200);
      sla.due(workspace, chunk).then((r) => {
        const offsetMs = Date.parse(r.now) - Date.now();
        const got = new Map(r.conversations.map((c) => [c.id, c]));
        for (const id of chunk) {
          const k = key(workspace, id);
          cache.set(k, { due: got.get(id) ?? null, at: Date.now(), offsetMs });
          listeners.get(k)?.forEach((fn) => fn());
        }
      }, () => { /* a failed refresh keeps the last answer; the next tick asks again */ });
    }
  }
}

function ask(workspace: string, id: number) {
  let ids = pending.get(workspace);
  if (!ids) pending.set(workspace, (ids = new Set()));
  ids.add(id);
  timer ??= setTimeout(flush, 20);
}

/** The conversation's next due time and the server clock's offset; refreshed while shown. */
export function useDue(workspace: string | undefined, id: number, version: number): Entry | null {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!workspace) return;
    const k = key(workspace, id);
    const rerender = () => setTick((n) => n + 1);
    let set = listeners.get(k);
    if (!set) listeners.set(k, (set = new Set()));
    set.add(rerender);
    ask(workspace, id);
    const interval = setInterval(() => {
      const e = cache.get(k);
      // Ask again when the answer is old, or when the server had not caught up with the last change.
      if (!e || Date.now() - e.at > FRESH_MS || !e.due?.current) ask(workspace, id);
      rerender();
    }, 1_000);
    return () => { clearInterval(interval); set!.delete(rerender); };
  }, [workspace, id, version]);
  return workspace ? cache.get(key(workspace, id)) ?? null : null;
}

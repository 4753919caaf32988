// Who is looking at or typing in which conversation, live. Kept in this server's memory (it is
// seconds-old state, not history) and pushed to the workspace's open event streams. Each mark
// expires unless renewed, so a closed tab clears itself. With several server processes each
// sees its own clients only (a later step: PostgreSQL LISTEN/NOTIFY between them).
export type PresenceState = 'viewing' | 'typing';
export interface Presence { userId: string; name: string; state: PresenceState }

const TTL_MS: Record<PresenceState, number> = { viewing: 30_000, typing: 8_000 };

interface Mark extends Presence { expires: number }
type Listener = (conversationId: number, people: Presence[]) => void;

export class PresenceBoard {
  private marks = new Map<string, Map<number, Map<string, Mark>>>();
  private listeners = new Map<string, Set<Listener>>();
  private timer: NodeJS.Timeout;

  constructor(private now: () => number = Date.now) {
    this.timer = setInterval(() => this.expire(), 1000);
    this.timer.unref();
  }

  set(workspaceId: string, conversationId: number, p: Presence | { userId: string; state: 'left' }): void {
    const ws = this.marks.get(workspaceId) ?? new Map<number, Map<string, Mark>>();
    this.marks.set(workspaceId, ws);
    const conv = ws.get(conversationId) ?? new Map<string, Mark>();
    ws.set(conversationId, conv);
    const before = conv.get(p.userId);
    if (p.state === 'left') conv.delete(p.userId);
    else conv.set(p.userId, { ...p, expires: this.now() + TTL_MS[p.state] });
    // A renewal of the same state is news to nobody.
    if (before?.state !== (p.state === 'left' ? undefined : p.state)) this.emit(workspaceId, conversationId);
    if (!conv.size) ws.delete(conversationId);
  }

  /** Leaves every conversation of the workspace (a closed event stream). */
  leaveAll(workspaceId: string, userId: string): void {
    for (const [id, conv] of this.marks.get(workspaceId) ?? []) {
      if (conv.delete(userId)) this.emit(workspaceId, id);
    }
  }

  people(workspaceId: string, conversationId: number): Presence[] {
    const conv = this.marks.get(workspaceId)?.get(conversationId);
    return conv ? [...conv.values()].filter((m) => m.expires > this.now()).map(({ userId, name, state }) => ({ userId, name, state })) : [];
  }

  snapshot(workspaceId: string): { conversationId: number; people: Presence[] }[] {
    return [...(this.marks.get(workspaceId)?.keys() ?? [])].map((id) => ({ conversationId: id, people: this.people(workspaceId, id) })).filter((s) => s.people.length);
  }

  subscribe(workspaceId: string, fn: Listener): () => void {
    const set = this.listeners.get(workspaceId) ?? new Set<Listener>();
    this.listeners.set(workspaceId, set);
    set.add(fn);
    return () => { set.delete(fn); if (!set.size) this.listeners.delete(workspaceId); };
  }

  close(): void { clearInterval(this.timer); }

  private emit(workspaceId: string, conversationId: number): void {
    const people = this.people(workspaceId, conversationId);
    for (const fn of this.listeners.get(workspaceId) ?? []) fn(conversationId, people);
  }

  private expire(): void {
    const t = this.now();
    for (const [ws, convs] of this.marks) {
      for (const [id, conv] of convs) {
        let gone = false;
        for (const [u, m] of conv) if (m.expires <= t) { conv.delete(u); gone = true; }
        if (gone) this.emit(ws, id);
        if (!conv.size) convs.delete(id);
      }
      if (!convs.size) this.marks.delete(ws);
    }
  }
}

// "This is a claim": a new known claim from an inbox item — the text selected in it, or all of it.
// The team fills in verdict, fact-check link and counter-reply on the misinformation page.
import { useState } from 'react';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { request } from '../../api.js';

export function MarkClaim({ workspace, itemId, text }: { workspace: string; itemId: number; text: string }) {
  const { t } = useI18n();
  const m = t.misinfo;
  const [status, setStatus] = useState<string | null>(null);
  async function mark() {
    // Only a selection inside this item's text counts; otherwise the whole item is the claim.
    const selected = window.getSelection()?.toString().trim() ?? '';
    const selection = selected && text.includes(selected) ? selected : undefined;
    try {
      await request('POST', '/misinfo/claims/from-item', { workspace, body: { itemId, selection } });
      setStatus(m.markedClaim);
    } catch (err) { setStatus(errorText(err, t)); }
  }
  return (
    <span className="mark-claim">
      <button type="button" className="secondary" data-testid="mark-claim" onMouseDown={(e) => e.preventDefault()} onClick={() => void mark()}>{m.markClaim}</button>
      {status && <span role="status" className="muted"> {status}</span>}
    </span>
  );
}

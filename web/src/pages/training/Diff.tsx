// The mentor's edit shown against the trainee's draft: removed words struck through, added ones marked.
import type { Segment } from './trainingApi.js';

export function Diff({ segments }: { segments: Segment[] }) {
  return (
    <p className="diff" data-testid="draft-diff">
      {segments.map((s, i) => s.op === 'same' ? <span key={i}>{s.text}</span>
        : s.op === 'added' ? <ins key={i} data-testid="diff-added">{s.text}</ins>
        : <del key={i} data-testid="diff-removed">{s.text}</del>)}
    </p>
  );
}

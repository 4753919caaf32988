// Text that may hurt, shown blurred until someone asks to see it. The blurred text is hidden from
// screen readers too (aria-hidden); they hear the label instead. Children must be text (or inline
// elements holding text): this never renders HTML from user content.
import { useState, type ReactNode } from 'react';

interface Props {
  hidden: boolean;
  /** What a screen reader hears while the text is hidden, e.g. "Text hidden: click to reveal". */
  label: string;
  children: ReactNode;
  /** Clicking the blurred text asks for this. */
  onReveal?: () => void;
  as?: 'span' | 'p';
  className?: string;
  testId?: string;
}

export function Blurred({ hidden, label, children, onReveal, as: Tag = 'span', className, testId }: Props) {
  return (
    <Tag className={['blurrable', className].filter(Boolean).join(' ')}>
      <span className={hidden ? 'blurred' : undefined} aria-hidden={hidden || undefined} data-testid={testId}
        data-blurred={hidden ? 'true' : 'false'} onClick={hidden ? onReveal : undefined}>
        {children}
      </span>
      {hidden && <span className="sr-only">{label}</span>}
    </Tag>
  );
}

/** Blurred text that reveals itself on click or Enter, for lists where there is no other way to ask. */
export function RevealOnClick({ text, hidden: startHidden, label, testId }: { text: string; hidden: boolean; label: string; testId?: string }) {
  const [revealed, setRevealed] = useState(false);
  if (!startHidden || revealed) return <span data-testid={testId} data-blurred="false">{text}</span>;
  return (
    <button type="button" className="reveal-button" title={label} onClick={() => setRevealed(true)}>
      <Blurred hidden label={label} testId={testId}>{text}</Blurred>
    </button>
  );
}

// The rules as text: a plain monospace textarea with a line-number gutter that scrolls along.
// Lines with an error are marked in the gutter; jumpTo() puts the cursor on an error's place.
import { useRef, type RefObject } from 'react';
import type { RuleError } from '../../moderationApi.js';

interface Props {
  value: string;
  onChange: (value: string) => void;
  errors: RuleError[];
  label: string;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  disabled?: boolean;
}

/** Focuses the textarea with the cursor at line/column (counted from 1), selects `length` characters, scrolls there. */
export function jumpTo(textarea: HTMLTextAreaElement, line: number, column: number, length = 0): void {
  const whole = (n: number, fallback: number) => (Number.isFinite(n) ? Math.trunc(n) : fallback);
  const lines = textarea.value.split('\n');
  const row = Math.min(Math.max(1, whole(line, 1)), lines.length);
  let lineStart = 0;
  for (let i = 0; i < row - 1; i++) lineStart += lines[i].length + 1;
  const lineLength = lines[row - 1].length;
  const start = lineStart + Math.min(Math.max(0, whole(column, 1) - 1), lineLength);
  const end = Math.min(start + Math.max(0, whole(length, 0)), lineStart + lineLength);
  textarea.focus();
  textarea.setSelectionRange(start, end);
  const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
  textarea.scrollTop = Math.max(0, (row - 1) * lineHeight - textarea.clientHeight / 3);
}

export function RulesEditor({ value, onChange, errors, label, textareaRef, disabled }: Props) {
  const gutter = useRef<HTMLDivElement>(null);
  const lineCount = value.split('\n').length;
  const errorLines = new Set(errors.map((e) => e.line));
  return (
    <div className="code-editor">
      <div className="gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: lineCount }, (_, i) => (
          <span key={i} className={errorLines.has(i + 1) ? 'error-line' : undefined}>{i + 1}</span>
        ))}
      </div>
      <textarea ref={textareaRef} data-testid="rules-editor" aria-label={label} value={value} disabled={disabled}
        spellCheck={false} autoCapitalize="off" autoComplete="off" autoCorrect="off" wrap="off"
        aria-invalid={errors.length > 0 || undefined}
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => { if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop; }} />
    </div>
  );
}

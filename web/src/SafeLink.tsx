// Links from user content or platforms are hostile: only http(s) URLs become clickable.
import type { ReactNode } from 'react';

/** The normalised URL if it is absolute http: or https:, else null (javascript:, data:, relative …). */
export function safeHttpUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

interface Props {
  href: string | null | undefined;
  children?: ReactNode;
  /** Shown instead (as text) when the URL is not safe; defaults to the children, or the raw URL. */
  fallback?: ReactNode;
  className?: string;
  testId?: string;
}

/** An external link opened in a new tab, or plain text when the URL is not http(s). */
export function SafeLink({ href, children, fallback, className, testId }: Props) {
  const url = safeHttpUrl(href);
  if (!url) {
    return (
      <span className={className} data-testid={testId}>
        {fallback ?? children ?? href ?? ''}
      </span>
    );
  }
  return (
    <a className={className} data-testid={testId} href={url} target="_blank" rel="noopener noreferrer nofollow">
      {children ?? url}
    </a>
  );
}

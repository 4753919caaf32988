// A small Markdown reader for the guidelines, straight to React elements: headings (with the
// anchors the server named), paragraphs, lists, **bold**, *italic*, `code` and http(s) links.
// Everything else stays text; no HTML from the document ever reaches the page.
import type { ReactNode } from 'react';
import { SafeLink } from '../../SafeLink.js';

/** Inline marks, from left to right; unmatched marks stay as typed. */
function inline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /\*\*([^*]+)\*\*|\*([^*]+)\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = pattern.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const k = `${key}-${n++}`;
    if (m[1] !== undefined) out.push(<strong key={k}>{m[1]}</strong>);
    else if (m[2] !== undefined) out.push(<em key={k}>{m[2]}</em>);
    else if (m[3] !== undefined) out.push(<code key={k}>{m[3]}</code>);
    else out.push(<SafeLink key={k} href={m[5]}>{m[4]}</SafeLink>);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function Markdown({ source, anchors, idPrefix }: { source: string; anchors: string[]; idPrefix: string }) {
  const blocks: ReactNode[] = [];
  let para: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  let code: string[] | null = null;
  let heading = 0;
  const flush = () => {
    const k = `b${blocks.length}`;
    if (para.length) blocks.push(<p key={k}>{inline(para.join(' '), k)}</p>);
    para = [];
    if (list) {
      const items = list.items.map((it, i) => <li key={i}>{inline(it, `${k}-${i}`)}</li>);
      blocks.push(list.ordered ? <ol key={`${k}l`}>{items}</ol> : <ul key={`${k}l`}>{items}</ul>);
    }
    list = null;
  };
  for (const line of source.split('\n')) {
    if (/^\s*```/.test(line)) {
      if (code) { blocks.push(<pre key={`b${blocks.length}`}><code>{code.join('\n')}</code></pre>); code = null; } else { flush(); code = []; }
      continue;
    }
    if (code) { code.push(line); continue; }
    const h = /^(#{1,3})\s+(.+?)\s*#*\s*$/.exec(line);
    if (h) {
      flush();
      const anchor = anchors[heading++] ?? '';
      const Tag = (`h${h[1].length + 1}`) as 'h2' | 'h3' | 'h4';
      blocks.push(<Tag key={`b${blocks.length}`} id={`${idPrefix}-${anchor}`} data-anchor={anchor}>{inline(h[2], `h${heading}`)}</Tag>);
      continue;
    }
    const li = /^\s*([-*]|\d+\.)\s+(.*)$/.exec(line);
    if (li) {
      const ordered = /\d/.test(li[1]);
      if (para.length || (list && list.ordered !== ordered)) flush();
      list = list ?? { ordered, items: [] };
      list.items.push(li[2]);
      continue;
    }
    if (!line.trim()) { flush(); continue; }
    if (list) flush();
    para.push(line.trim());
  }
  if (code) blocks.push(<pre key={`b${blocks.length}`}><code>{(code as string[]).join('\n')}</code></pre>);
  flush();
  return <div className="markdown">{blocks}</div>;
}

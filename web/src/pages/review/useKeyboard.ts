// Single-key shortcuts for the whole page (j, k, a, h, …), active while the component is mounted.
// Typing in a text field never triggers them; Space on a button or checkbox and Enter on a button
// or link keep their usual meaning; with Ctrl, Alt or Meta held nothing happens (browser and screen-reader keys).
import { useEffect, useLayoutEffect, useRef } from 'react';

export type KeyHandlers = Partial<Record<string, (event: KeyboardEvent) => void>>;

const TOGGLE_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset']);
/** Elements that Space (resp. Enter) activates by themselves. */
const ACTIVATED_BY: Record<string, Set<string>> = {
  ' ': new Set(['BUTTON', 'SUMMARY']),
  Enter: new Set(['BUTTON', 'SUMMARY', 'A']),
};

function typesText(target: HTMLElement): boolean {
  if (target.isContentEditable) return true;
  if (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target.tagName === 'INPUT' && !TOGGLE_INPUTS.has((target as HTMLInputElement).type);
}

function activatesItself(target: HTMLElement, key: string): boolean {
  const tags = ACTIVATED_BY[key];
  if (!tags) return false;
  return tags.has(target.tagName) || (target.tagName === 'INPUT' && TOGGLE_INPUTS.has((target as HTMLInputElement).type));
}

/** Calls handlers[event.key]; the latest handlers are used without re-subscribing. */
export function useKeyboard(handlers: KeyHandlers): void {
  const latest = useRef(handlers);
  useLayoutEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (target && (typesText(target) || activatesItself(target, event.key))) return;
      const handler = latest.current[event.key];
      if (!handler) return;
      event.preventDefault();
      handler(event);
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

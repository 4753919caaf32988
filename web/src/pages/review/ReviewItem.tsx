// One held item: where it is from, why it was held, its text (blurred if it may hurt), what
// flagged it, and — on the focused item only — the decision buttons.
import { Blurred } from '../../components/Blurred.js';
import { formatDateTime, kindName, languageName, useI18n } from '../../i18n.js';
import { SafeLink } from '../../SafeLink.js';
import { segments, wordHits } from './highlight.js';
import { Signals } from './Signals.js';
import type { FinalDecision, ReviewEntry } from './useReviewQueue.js';

interface Props {
  item: ReviewEntry;
  focused: boolean;
  hidden: boolean;
  confirmingDelete: boolean;
  onFocus: () => void;
  onToggleBlur: () => void;
  onDecide: (decision: FinalDecision) => void;
  onDelete: () => void;
  onCancelDelete: () => void;
}

export function ReviewItem({ item, focused, hidden, confirmingDelete, onFocus, onToggleBlur, onDecide, onDelete, onCancelDelete }: Props) {
  const { t, locale } = useI18n();
  const r = t.review;
  const hits = wordHits(item);
  const author = item.author ?? { handle: null, displayName: null };
  const handle = author.handle?.replace(/^@/, '');
  return (
    <li className={`item review-item${focused ? ' focused' : ''}`} data-testid="review-item" data-item-id={String(item.id)}
      data-focused={focused ? 'true' : 'false'} aria-current={focused ? 'true' : undefined} tabIndex={-1} onClick={onFocus}>
      <div className="item-meta">
        <span className="platform" data-testid="review-platform">{item.platform}</span>
        <span className="author" data-testid="review-author">
          <strong>{author.displayName || handle}</strong>
          {handle && <span className="handle"> @{handle}</span>}
        </span>
        <span data-testid="review-language">{languageName(item.language, locale)}</span>
        <span>{kindName(item.kind, locale)}</span>
        <time dateTime={item.createdAt}>{formatDateTime(item.createdAt, locale)}</time>
        {item.permalink && (
          <SafeLink href={item.permalink} fallback={item.permalink} className="permalink">{t.openOriginal}</SafeLink>
        )}
      </div>
      <p className="review-why" data-testid="review-reason">
        <strong>{item.heldBy ? r.heldBy(item.heldBy) : r.heldByUnknown}:</strong> {item.reason || r.noReason}
      </p>
      {item.restored && <p className="notice small" data-testid="review-restored">{r.restoredNote}</p>}
      <Blurred as="p" className="item-text" hidden={hidden} label={r.hiddenLabel} onReveal={onToggleBlur} testId="review-text">
        {segments(item.text ?? '', hits).map((segment, i) =>
          segment.hit ? <mark key={i} className={`hit chip-${segment.hit.category}`}>{segment.text}</mark> : segment.text)}
      </Blurred>
      <Signals item={item} hits={hits} hidden={hidden} />
      {focused && (
        <div className="review-actions" onClick={(e) => e.stopPropagation()}>
          <button type="button" data-testid="review-hide" aria-keyshortcuts="h" onClick={() => onDecide('hide')}>
            {r.hide} <small>({r.hideHint})</small> <kbd aria-hidden="true">h</kbd>
          </button>
          <button type="button" className="secondary" data-testid="review-approve" aria-keyshortcuts="a" onClick={() => onDecide('approve')}>
            {r.approve} <kbd aria-hidden="true">a</kbd>
          </button>
          <button type="button" className={`secondary danger${confirmingDelete ? ' armed' : ''}`} data-testid="review-delete" aria-keyshortcuts="d" onClick={onDelete}>
            {confirmingDelete ? r.deleteConfirm : r.delete} <kbd aria-hidden="true">d</kbd>
          </button>
          <button type="button" className="secondary" data-testid="review-reveal" aria-keyshortcuts="Space" aria-pressed={!hidden} onClick={onToggleBlur}>
            {hidden ? r.showText : r.blurText} <kbd aria-hidden="true">{r.spaceKey}</kbd>
          </button>
          {confirmingDelete && (
            <p className="confirm" role="alert" data-testid="review-delete-confirm">
              {r.deleteConfirmHint}{' '}
              <button type="button" className="secondary" onClick={onCancelDelete}>{r.cancel}</button>
            </p>
          )}
        </div>
      )}
    </li>
  );
}

/**
 * The credential list: a listbox virtualized with @tanstack/react-virtual. Rows have a fixed height;
 * only the rows in view (and a few around) are in the DOM, and the store fetches the pages that cover
 * them. The listbox keeps the focus; the active row is its `aria-activedescendant`.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { accountLine, type Checkout, type Credential, credentialState } from '../domain.ts';
import { useMineByCredential } from '../hooks.ts';
import { actions as credentials, selectors, useCredentialsStore } from '../stores/credentials.ts';
import { selectors as sessionSelectors, useSessionStore } from '../stores/session.ts';
import { selectors as settingsSelectors, useSettingsStore } from '../stores/settings.ts';
import { CredentialStateLabel, PolicyBadges } from './CredentialParts.tsx';

export const ROW_HEIGHT = 56;
const OVERSCAN = 8;

export function CredentialList({
  onActivate,
  onToggleFavourite,
}: {
  onActivate: (credential: Credential) => void;
  onToggleFavourite: (credentialId: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const total = useCredentialsStore(selectors.total);
  const generation = useCredentialsStore(selectors.generation);
  const activeIndex = useCredentialsStore(selectors.activeIndex);
  const appliedKey = useCredentialsStore(
    (state) =>
      `${state.applied.vaultId ?? ''}\u0000${state.applied.search}\u0000${state.applied.status}\u0000${state.applied.sort}`,
  );
  const sync = useCredentialsStore(selectors.sync);
  const synced = useCredentialsStore(selectors.synced);
  const neverSynced = useSessionStore((state) => !state.session?.lastSyncAt) && !synced;
  const searchText = useCredentialsStore((state) => state.applied.search);
  const filtered = useCredentialsStore((state) => state.applied.status !== null);
  const favourites = useSettingsStore(settingsSelectors.favourites);
  const recent = useSettingsStore(settingsSelectors.recent);
  const userId = useSessionStore(sessionSelectors.userId);
  const mine = useMineByCredential();
  const scrollRef = useRef<HTMLDivElement>(null);

  const count = total ?? 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  // Again after each new generation: the rows in view may belong to pages not fetched yet.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the trigger, not an input.
  useEffect(() => {
    if (count > 0) credentials.ensureRange(first, last);
  }, [first, last, count, generation]);

  // A new query starts at the top.
  const previousKey = useRef(appliedKey);
  useEffect(() => {
    if (previousKey.current === appliedKey) return;
    previousKey.current = appliedKey;
    scrollRef.current?.scrollTo({ top: 0 });
  }, [appliedKey]);

  if (total === null) {
    return (
      <div className="list-empty" role="status" aria-busy="true">
        <p className="muted">{t('credentials.loading')}</p>
      </div>
    );
  }
  if (total === 0) {
    return (
      <div className="list-empty" role="status" data-testid="credential-list-empty">
        <p className="muted">
          {searchText
            ? t('credentials.noMatch', { search: searchText })
            : filtered
              ? t('credentials.noneInState')
              : sync || neverSynced
                ? t('credentials.syncing')
                : t('credentials.empty')}
        </p>
      </div>
    );
  }

  const pageSize = Math.max(1, last - first - 2 * OVERSCAN);
  const move = (index: number) => {
    const next = Math.min(Math.max(0, index), count - 1);
    credentials.setActiveIndex(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const activeRendered = items.some((item) => item.index === activeIndex);

  return (
    <div
      id="credential-list"
      ref={scrollRef}
      className="listbox"
      role="listbox"
      tabIndex={0}
      aria-label={t('credentials.listLabel')}
      aria-activedescendant={activeRendered ? rowId(activeIndex) : undefined}
      data-testid="credential-list"
      onKeyDown={(event) => {
        switch (event.key) {
          case 'ArrowDown':
            move(activeIndex + 1);
            break;
          case 'ArrowUp':
            move(activeIndex - 1);
            break;
          case 'PageDown':
            move(activeIndex + pageSize);
            break;
          case 'PageUp':
            move(activeIndex - pageSize);
            break;
          case 'Home':
            move(0);
            break;
          case 'End':
            move(count - 1);
            break;
          case 'Enter': {
            const credential = selectors.rowAt(activeIndex)(useCredentialsStore.getState());
            if (credential) onActivate(credential);
            break;
          }
          case 'd':
          case 'D': {
            // Ctrl/⌘+D stars the selected credential, as browsers bookmark a page.
            if (!(event.ctrlKey || event.metaKey)) return;
            const credential = selectors.rowAt(activeIndex)(useCredentialsStore.getState());
            if (credential) void onToggleFavourite(credential.id);
            break;
          }
          default:
            return;
        }
        event.preventDefault();
      }}
    >
      <div className="listbox-sizer" role="presentation" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => (
          <CredentialRow
            key={item.index}
            index={item.index}
            top={item.start}
            total={count}
            active={item.index === activeIndex}
            mine={mine}
            userId={userId}
            favourites={favourites}
            recent={recent}
            onActivate={onActivate}
          />
        ))}
      </div>
    </div>
  );
}

function rowId(index: number): string {
  return `credential-row-${index}`;
}

const CredentialRow = memo(function CredentialRow({
  index,
  top,
  total,
  active,
  mine,
  userId,
  favourites,
  recent,
  onActivate,
}: {
  index: number;
  top: number;
  total: number;
  active: boolean;
  mine: ReadonlyMap<string, Checkout> | null;
  userId: string | null;
  favourites: readonly string[];
  recent: readonly string[];
  onActivate: (credential: Credential) => void;
}) {
  const { t } = useTranslation();
  const credential = useCredentialsStore(selectors.rowAt(index));
  const position = { transform: `translateY(${top}px)`, height: ROW_HEIGHT };
  if (!credential) {
    return (
      // biome-ignore lint/a11y/useFocusableInteractive: options are reached through the listbox's aria-activedescendant.
      <div
        id={rowId(index)}
        role="option"
        aria-selected={active}
        aria-setsize={total}
        aria-posinset={index + 1}
        aria-busy="true"
        className={`credential-row is-loading${active ? ' is-active' : ''}`}
        style={position}
      >
        <span className="skeleton-line" aria-hidden="true" />
        <span className="visually-hidden">{t('credentials.rowLoading')}</span>
      </div>
    );
  }
  const state = credentialState(credential, mine, userId);
  return (
    // Activation is by Enter on the listbox (keyboard) or a click / double-click here (pointer).
    // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox owns the keyboard (aria-activedescendant).
    // biome-ignore lint/a11y/useFocusableInteractive: options are reached through the listbox's aria-activedescendant.
    <div
      id={rowId(index)}
      role="option"
      aria-selected={active}
      aria-setsize={total}
      aria-posinset={index + 1}
      className={`credential-row${active ? ' is-active' : ''}`}
      style={position}
      data-testid="credential-row"
      data-credential-id={credential.id}
      data-state={state.kind}
      onClick={() => {
        credentials.setActiveIndex(index);
        document.getElementById('credential-list')?.focus({ preventScroll: true });
      }}
      onDoubleClick={() => onActivate(credential)}
    >
      <span className="row-main">
        <span className="row-top">
          {favourites.includes(credential.id) ? (
            <span className="row-mark favourite" data-testid="favourite-mark">
              <span aria-hidden="true">★</span>
              <span className="visually-hidden">{t('credentials.favouriteMark')}</span>
            </span>
          ) : null}
          <span className="row-name">{credential.name}</span>
          {recent.includes(credential.id) && !favourites.includes(credential.id) ? (
            <span className="badge recent-mark" data-testid="recent-mark">
              {t('credentials.recentMark')}
            </span>
          ) : null}
          <PolicyBadges policy={credential.policy} />
        </span>
        <span className="row-account">{accountLine(credential)}</span>
      </span>
      <CredentialStateLabel state={state} />
    </div>
  );
});

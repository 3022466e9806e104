import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { OfflineBanner } from '../components/OfflineBanner.tsx';
import type { TranslationKey } from '../i18n/index.ts';
import {
  selectors as approvalSelectors,
  actions as approvals,
  useApprovalsStore,
} from '../stores/approvals.ts';
import {
  actions as navigation,
  selectors as navSelectors,
  type Route,
  useNavigationStore,
} from '../stores/navigation.ts';
import { actions as session, selectors as sessionSelectors, useSessionStore } from '../stores/session.ts';
import { Approvals } from './Approvals.tsx';
import { Credentials } from './Credentials.tsx';
import { History } from './History.tsx';
import { MyCheckouts } from './MyCheckouts.tsx';
import { Settings } from './Settings.tsx';

const NAV: ReadonlyArray<{ route: Route; key: TranslationKey; shortcut: string }> = [
  { route: 'credentials', key: 'nav.credentials', shortcut: '1' },
  { route: 'checkouts', key: 'nav.checkouts', shortcut: '2' },
  { route: 'approvals', key: 'nav.approvals', shortcut: '3' },
  { route: 'history', key: 'nav.history', shortcut: '4' },
  { route: 'settings', key: 'nav.settings', shortcut: '5' },
];

const SCREENS: Record<Route, () => ReactNode> = {
  credentials: () => <Credentials />,
  checkouts: () => <MyCheckouts />,
  approvals: () => <Approvals />,
  history: () => <History />,
  settings: () => <Settings />,
};

export function AppFrame() {
  const { t } = useTranslation();
  const route = useNavigationStore(navSelectors.route);
  const seq = useNavigationStore(navSelectors.seq);
  const user = useSessionStore(sessionSelectors.user);
  const profile = useSessionStore(sessionSelectors.profile);
  // Approvals is for approvers: other users see neither the page nor its shortcut.
  const isApprover = useSessionStore(sessionSelectors.isApprover);
  const nav = NAV.filter((item) => item.route !== 'approvals' || isApprover);
  const shown: Route = route === 'approvals' && !isApprover ? 'credentials' : route;
  const mainRef = useRef<HTMLElement>(null);
  const firstSeq = useRef(seq);

  // After a navigation, the new screen's heading takes the focus (screen readers read where we are),
  // unless the screen focused something of its own (a deep-linked item).
  useEffect(() => {
    if (seq === firstSeq.current) return;
    const frame = requestAnimationFrame(() => {
      const main = mainRef.current;
      if (!main || main.contains(document.activeElement)) return;
      main.querySelector<HTMLElement>('h1')?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [seq]);

  useEffect(() => {
    if (route !== 'approvals') approvals.markSeen();
  }, [route]);

  // Ctrl/⌘ + 1…5 switch screens.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const item = NAV.find((entry) => entry.shortcut === event.key);
      if (!item || (item.route === 'approvals' && !isApproverNow())) return;
      event.preventDefault();
      navigation.navigate(item.route);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <div className="frame">
      <a className="skip-link" href="#main-content">
        {t('frame.skipToContent')}
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Coffre</span>
        </div>
        <OfflineBanner />
        <div className="topbar-user">
          <span className="user-name" data-testid="current-user">
            {user?.displayName ?? user?.username}
          </span>
          {profile ? <span className="user-server muted">{hostOf(profile.url)}</span> : null}
          <button
            type="button"
            className="button ghost"
            onClick={() => void session.lock()}
            data-testid="lock"
          >
            {t('frame.lock')}
          </button>
          <button
            type="button"
            className="button ghost"
            onClick={() => void session.signOut()}
            data-testid="sign-out-top"
          >
            {t('frame.signOut')}
          </button>
        </div>
      </header>
      <div className="frame-body">
        <nav className="sidenav" aria-label={t('nav.label')}>
          <ul>
            {nav.map((item) => (
              <li key={item.route}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={shown === item.route ? 'page' : undefined}
                  aria-keyshortcuts={`Control+${item.shortcut}`}
                  data-testid={`nav-${item.route}`}
                  onClick={() => navigation.navigate(item.route)}
                >
                  <span className="nav-label">{t(item.key)}</span>
                  {item.route === 'approvals' ? <PendingBadge /> : null}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main-content" className="screen" ref={mainRef} tabIndex={-1}>
          {SCREENS[shown]()}
        </main>
      </div>
    </div>
  );
}

function isApproverNow(): boolean {
  return sessionSelectors.isApprover(useSessionStore.getState());
}

/** Always in the layout (hidden at zero), so a count arriving never shifts the label. */
function PendingBadge() {
  const { t } = useTranslation();
  const count = useApprovalsStore(approvalSelectors.count);
  return (
    <span
      className={`nav-badge${count > 0 ? '' : ' is-empty'}`}
      data-testid="approvals-badge"
      data-count={count}
    >
      <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
      {count > 0 ? <span className="visually-hidden">{t('nav.pendingCount', { count })}</span> : null}
    </span>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

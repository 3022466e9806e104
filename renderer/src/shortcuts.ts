/**
 * Ctrl+Shift+C (⌘⇧C on macOS) copies the password of the selected credential, as 1Password and
 * Bitwarden do, when the user holds its checkout.
 */
import { useEffect } from 'react';
import { type Credential, credentialState } from './domain.ts';
import { useMineByCredential } from './hooks.ts';
import { actions as secrets } from './stores/secrets.ts';
import { selectors as sessionSelectors, useSessionStore } from './stores/session.ts';
import { actions as toasts } from './stores/toasts.ts';

const isMac = () => typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform);

/** What the hint shows: "Ctrl+Shift+C", or "⌘⇧C" on macOS. */
export function copyPasswordKeys(): string {
  return isMac() ? '⌘⇧C' : 'Ctrl+Shift+C';
}

/** For aria-keyshortcuts. */
export const COPY_PASSWORD_ARIA = 'Control+Shift+C Meta+Shift+C';

export function isCopyPasswordShortcut(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
): boolean {
  return (
    (event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.key.toLowerCase() === 'c'
  );
}

/** Listens on the window while `credential` is the selected one; a dialog open takes the keys. */
export function useCopyPasswordShortcut(credential: Credential | undefined): void {
  const mine = useMineByCredential();
  const userId = useSessionStore(sessionSelectors.userId);
  const canRead = useSessionStore(sessionSelectors.canReadPassword);
  useEffect(() => {
    if (!credential) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isCopyPasswordShortcut(event) || document.querySelector('[role="dialog"]')) return;
      event.preventDefault();
      if (canRead && credentialState(credential, mine, userId).kind === 'mine')
        void secrets.copy(credential.id);
      else toasts.push({ tone: 'info', key: 'credentials.copyNotYours', values: { name: credential.name } });
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [credential, mine, userId, canRead]);
}

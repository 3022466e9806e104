/**
 * Wires the stores to the main process: one `onEvent` subscription dispatching to every store, and
 * the loads and resets that follow the session (signed in → load; locked → forget shown secrets;
 * signed out → forget everything). Started once by the App; the returned function undoes it all.
 */
import { api } from '../api.ts';
import type { AppEvent } from '../domain.ts';
import { actions as approvals } from './approvals.ts';
import { actions as audit } from './audit.ts';
import { actions as checkouts } from './checkouts.ts';
import { actions as credentials } from './credentials.ts';
import { actions as navigation } from './navigation.ts';
import { actions as secrets } from './secrets.ts';
import { type SessionStoreState, actions as session, useSessionStore } from './session.ts';
import { actions as settings } from './settings.ts';

export function dispatchEvent(event: AppEvent): void {
  session.handleEvent(event);
  credentials.handleEvent(event);
  checkouts.handleEvent(event);
  approvals.handleEvent(event);
  secrets.handleEvent(event);
  navigation.handleEvent(event);
}

function resetData(): void {
  credentials.reset();
  checkouts.reset();
  approvals.reset();
  secrets.reset();
  audit.reset();
  navigation.reset();
}

/** Who the data belongs to: a new user or server means a fresh start. */
function owner(state: SessionStoreState): string | null {
  const session = state.session;
  if (session?.status !== 'signedIn' || !session.user) return null;
  return `${session.profile?.id ?? ''}/${session.user.id}`;
}

export function startStores(): () => void {
  let unsubscribeEvents: () => void = () => undefined;
  try {
    unsubscribeEvents = api.onEvent(dispatchEvent);
  } catch {
    // No bridge: session.load() below records the failure and the App says so.
  }

  let loadedFor: string | null = null;
  let previousStatus: string | null = null;
  const follow = (state: SessionStoreState) => {
    const status = state.session?.status ?? null;
    const statusChanged = status !== previousStatus;
    const wasLocked = previousStatus === 'locked';
    previousStatus = status;
    if (statusChanged && status === 'locked') secrets.reset();
    if (statusChanged && status === 'signedOut') {
      loadedFor = null;
      resetData();
      return;
    }
    const who = owner(state);
    if (who === null) return;
    if (who !== loadedFor) {
      if (loadedFor !== null) resetData();
      loadedFor = who;
      void settings.load();
      void credentials.load();
      void checkouts.loadMine();
      void approvals.load();
    } else if (statusChanged && wasLocked) {
      // Back from the lock screen: catch up with what happened meanwhile.
      void checkouts.loadMine();
      void approvals.load();
      void credentials.refresh();
    }
  };
  const unsubscribeSession = useSessionStore.subscribe(follow);

  void session.load();
  void settings.load();

  return () => {
    unsubscribeEvents();
    unsubscribeSession();
  };
}

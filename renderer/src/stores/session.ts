/** Who is signed in, to which server, locked or not, online or not: the main process's SessionState. */
import { create } from 'zustand';
import { api, type CoffreError, toCoffreError } from '../api.ts';
import type { AppEvent, ServerProfile, SessionState } from '../domain.ts';
import { actions as toasts } from './toasts.ts';

export type SessionPhase = 'loading' | 'unavailable' | SessionState['status'];

export interface SessionStoreState {
  session: SessionState | null;
  /** Set when even `session:getState` failed: the app cannot start. */
  loadError: CoffreError | null;
  signingIn: boolean;
  signInError: CoffreError | null;
  unlocking: boolean;
  unlockError: CoffreError | null;
}

export const initialState: SessionStoreState = {
  session: null,
  loadError: null,
  signingIn: false,
  signInError: null,
  unlocking: false,
  unlockError: null,
};

export const useSessionStore = create<SessionStoreState>()(() => ({ ...initialState }));
const set = useSessionStore.setState;

export interface SignInInput {
  profile: ServerProfile;
  username: string;
  password: string;
}

export const actions = {
  async load(): Promise<void> {
    try {
      const session = await api.session.getState();
      set({ session, loadError: null });
    } catch (error) {
      set({ loadError: toCoffreError(error) });
    }
  },

  /** Errors stay on the sign-in form (wrong password, unreachable, TLS), not in a toast. */
  async signIn(input: SignInInput): Promise<boolean> {
    set({ signingIn: true, signInError: null });
    try {
      const session = await api.session.signIn(input);
      set({ session, signingIn: false });
      return true;
    } catch (error) {
      set({ signingIn: false, signInError: toCoffreError(error) });
      return false;
    }
  },

  clearSignInError(): void {
    set({ signInError: null });
  },

  async signOut(): Promise<void> {
    try {
      set({ session: await api.session.signOut() });
    } catch (error) {
      toasts.error(error);
    }
  },

  async lock(): Promise<void> {
    try {
      set({ session: await api.session.lock() });
    } catch (error) {
      toasts.error(error);
    }
  },

  /** Without a password: a Windows (integrated) session, which unlocks by signing in again. */
  async unlock(password?: string): Promise<boolean> {
    set({ unlocking: true, unlockError: null });
    try {
      const session = await api.session.unlock(password === undefined ? {} : { password });
      set({ session, unlocking: false });
      return true;
    } catch (error) {
      set({ unlocking: false, unlockError: toCoffreError(error) });
      return false;
    }
  },

  handleEvent(event: AppEvent): void {
    if (event.type === 'session.changed') set({ session: event.state, loadError: null });
  },

  reset(): void {
    set({ ...initialState });
  },
};

export const selectors = {
  session: (state: SessionStoreState) => state.session,
  phase: (state: SessionStoreState): SessionPhase =>
    state.session?.status ?? (state.loadError ? 'unavailable' : 'loading'),
  user: (state: SessionStoreState) => state.session?.user ?? null,
  userId: (state: SessionStoreState) => state.session?.user?.id ?? null,
  isAdmin: (state: SessionStoreState) => state.session?.user?.roles.includes('admin') ?? false,
  isApprover: (state: SessionStoreState) => {
    const roles = state.session?.user?.roles ?? [];
    return roles.includes('approver') || roles.includes('admin');
  },
  profile: (state: SessionStoreState) => state.session?.profile ?? null,
  offlineSince: (state: SessionStoreState) => state.session?.offlineSince ?? null,
  demoServerUrl: (state: SessionStoreState) => state.session?.demoServerUrl ?? null,
  canExtend: (state: SessionStoreState) => state.session?.capabilities?.extend ?? true,
  /** False on MIM: a request goes to every approver of the role, none is chosen. */
  canChooseApprover: (state: SessionStoreState) => state.session?.capabilities?.approverChoice ?? true,
  /** The server lets an approver grant fewer minutes than requested. */
  canGrantShorter: (state: SessionStoreState) => state.session?.capabilities?.grantShorter ?? false,
  canReadPassword: (state: SessionStoreState) => state.session?.capabilities?.passwordRead ?? true,
  /** True when the OS offers no safe place for the sign-in token (it is then not kept). */
  tokenNotKept: (state: SessionStoreState) =>
    state.session !== null && state.session.status !== 'signedOut' && !state.session.tokenPersisted,
  /** Why the local cache is weaker than usual (no keyring, rebuilt), for the user to know. */
  storageWarning: (state: SessionStoreState) => state.session?.storageWarning ?? null,
  signingIn: (state: SessionStoreState) => state.signingIn,
  signInError: (state: SessionStoreState) => state.signInError,
  unlocking: (state: SessionStoreState) => state.unlocking,
  unlockError: (state: SessionStoreState) => state.unlockError,
};

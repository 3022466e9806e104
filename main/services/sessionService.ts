import { isPamClientError } from '../../client/errors.ts';
import type { CreatePamBackendOptions, FetchLike, PamBackend } from '../../client/pamBackend.ts';
import type { Clock, SecretBoxPort } from '../../client/ports.ts';
import { packSessionSecret, unpackSessionSecret } from '../../client/sessionSecret.ts';
import {
  profileBaseUrl,
  type ServerProfile,
  type SessionRequirement,
  type SessionState,
} from '../../common/ipc.ts';
import type { User } from '../../common/roles.ts';
import type { CredentialCache } from '../cache/credentialCache.ts';
import { AppError } from './appError.ts';
import type { EventSink } from './ports.ts';
import type { SettingsService } from './settingsService.ts';
import { Subscribers } from './subscribers.ts';

export type LockReason = 'user' | 'idle' | 'screen' | 'suspend';

/** Why the signed-in state ends: for good ('signOut', 'expired') or until unlocked (a lock). */
export type SignedOutReason = 'signOut' | 'expired' | LockReason;

/**
 * Who is signed in to which server, and whether the app is locked. Locking keeps the session but
 * refuses every call until the user proves again who they are (unlock logs in anew).
 */
export class SessionService {
  private readonly cache: CredentialCache;
  private readonly settings: SettingsService;
  private readonly events: EventSink;
  private readonly clock: Clock;
  private readonly secretBox: SecretBoxPort;
  private readonly createBackend: (options: CreatePamBackendOptions) => PamBackend;
  private readonly integratedFetch: ((serverUrl: string) => FetchLike) | undefined;
  private readonly embeddedServerUrl: string | null;
  private readonly storageWarning: SessionState['storageWarning'];
  private readonly signedIn = new Subscribers<[backend: PamBackend, user: User]>();
  private readonly signedOut = new Subscribers<[reason: SignedOutReason]>();

  private backend: PamBackend | null = null;
  private user: User | null = null;
  private profile: ServerProfile | null = null;
  private status: SessionState['status'] = 'signedOut';
  private offlineSince: number | null = null;

  constructor(deps: {
    cache: CredentialCache;
    settings: SettingsService;
    events: EventSink;
    clock: Clock;
    secretBox: SecretBoxPort;
    createBackend: (options: CreatePamBackendOptions) => PamBackend;
    embeddedServerUrl: string | null;
    storageWarning?: SessionState['storageWarning'];
    /** The shell's fetch that answers Negotiate with the OS's Windows sign-in, for this server. */
    integratedFetch?: ((serverUrl: string) => FetchLike) | undefined;
  }) {
    this.integratedFetch = deps.integratedFetch;
    this.storageWarning = deps.storageWarning ?? null;
    this.cache = deps.cache;
    this.settings = deps.settings;
    this.events = deps.events;
    this.clock = deps.clock;
    this.secretBox = deps.secretBox;
    this.createBackend = deps.createBackend;
    this.embeddedServerUrl = deps.embeddedServerUrl;
  }

  /** A backend is ready for this user (after sign-in, restore or unlock). Returns the cleanup. */
  onSignedIn(listener: (backend: PamBackend, user: User) => Promise<void> | void): () => void {
    return this.signedIn.add(listener);
  }

  /**
   * Leaving the signed-in state: clear what must not survive it (clipboard, revealed passwords).
   * Returns the cleanup.
   */
  onSignedOut(listener: (reason: SignedOutReason) => Promise<void> | void): () => void {
    return this.signedOut.add(listener);
  }

  state(): SessionState {
    const lastSync = this.cache.getMeta<string>('lastSyncAt') ?? null;
    return {
      status: this.status,
      user: this.user,
      profile: this.profile,
      capabilities: this.backend ? { ...this.backend.capabilities } : null,
      secretStorage: this.secretBox.state(),
      tokenPersisted: this.cache.canPersistSecrets(),
      offlineSince: this.offlineSince === null ? null : new Date(this.offlineSince).toISOString(),
      lastSyncAt: lastSync,
      demoServerUrl: this.embeddedServerUrl,
      storageWarning: this.storageWarning,
    };
  }

  private changed(): SessionState {
    const state = this.state();
    this.events.emit({ type: 'session.changed', state });
    return state;
  }

  /** Refuses (throws) unless the session is at least in the state a call needs. */
  require(requirement: SessionRequirement): void {
    if (requirement === 'signedOut') return;
    if (this.status === 'locked' && requirement === 'unlocked')
      throw new AppError('locked', 'locked', 'Coffre is locked. Unlock it to continue.');
    if (!this.backend || this.status === 'signedOut') {
      throw new AppError('unauthorized', 'signed_out', 'Sign in to continue.');
    }
  }

  /** The backend of a signed-in, unlocked session; anything else is refused. */
  requireBackend(): PamBackend {
    this.require('unlocked');
    // require('unlocked') passed: there is a backend.
    return this.backend as PamBackend;
  }

  currentUser(): User | null {
    return this.user;
  }

  /** How a profile signs in: its method, and for a Windows sign-in the shell's fetch. */
  private signInOptions(profile: ServerProfile): Partial<CreatePamBackendOptions> {
    if (profile.signIn !== 'integrated') return profile.signIn ? { signIn: profile.signIn } : {};
    if (!this.integratedFetch) {
      throw new AppError(
        'unsupported',
        'integrated_sign_in_unavailable',
        'Windows sign-in is not available here.',
      );
    }
    return { signIn: 'integrated', fetch: this.integratedFetch(profile.url) };
  }

  async signIn(input: { profile: ServerProfile; username: string; password: string }): Promise<SessionState> {
    const backend = this.createBackend({
      baseUrl: profileBaseUrl(input.profile),
      dialect: input.profile.dialect,
      ...(input.profile.caPem ? { ca: input.profile.caPem } : {}),
      ...this.signInOptions(input.profile),
    });
    const { user } = await backend.login(input.username, input.password);
    if (this.backend && this.status !== 'signedOut') await this.signedOut.notify('signOut');
    const profile = { ...input.profile, username: input.username };
    this.settings.rememberProfile(profile);
    const token = packSessionSecret(backend.session());
    if (token) this.cache.storeToken(profile.id, token);
    this.enter(backend, user, profile);
    await this.signedIn.notify(backend, user);
    return this.changed();
  }

  /** At start-up: resume the last profile's session from its saved token, if any. */
  async restore(): Promise<SessionState> {
    const settings = this.settings.get();
    const profile = settings.profiles.find((p) => p.id === settings.lastProfileId);
    const token = profile ? this.cache.loadToken(profile.id) : undefined;
    if (!profile || !token) return this.changed();
    const backend = this.createBackend({
      baseUrl: profileBaseUrl(profile),
      dialect: profile.dialect,
      ...unpackSessionSecret(token),
      ...(profile.caPem ? { ca: profile.caPem } : {}),
      ...this.signInOptions(profile),
    });
    try {
      const user = await backend.whoami();
      this.enter(backend, user, profile);
      await this.signedIn.notify(backend, user);
    } catch (error) {
      if (isPamClientError(error) && error.kind === 'unauthorized') this.cache.clearToken(profile.id);
    }
    return this.changed();
  }

  private enter(backend: PamBackend, user: User, profile: ServerProfile): void {
    this.backend = backend;
    this.user = user;
    this.profile = profile;
    this.status = 'signedIn';
    this.offlineSince = null;
  }

  async signOut(): Promise<SessionState> {
    const backend = this.backend;
    if (this.profile) this.cache.clearToken(this.profile.id);
    this.backend = null;
    this.user = null;
    this.status = 'signedOut';
    await this.signedOut.notify('signOut');
    await backend?.logout().catch(() => undefined);
    return this.changed();
  }

  /** The server said the token is no longer valid. */
  async expired(): Promise<void> {
    if (this.status === 'signedOut') return;
    if (this.profile) this.cache.clearToken(this.profile.id);
    this.backend = null;
    this.status = 'signedOut';
    await this.signedOut.notify('expired');
    this.changed();
  }

  async lock(reason: LockReason): Promise<SessionState> {
    if (this.status !== 'signedIn') return this.state();
    this.status = 'locked';
    await this.signedOut.notify(reason);
    return this.changed();
  }

  /**
   * Unlocking proves the user again: a fresh login with their password. A Windows (integrated)
   * sign-in never had a password: it proves the user by running that sign-in again (the OS's
   * Kerberos/NTLM credentials through the shell's fetch), and any password given is not used.
   */
  async unlock(password?: string): Promise<SessionState> {
    if (this.status !== 'locked' || !this.backend || !this.user) {
      throw new AppError('conflict', 'not_locked', 'Coffre is not locked.');
    }
    const integrated = this.profile?.signIn === 'integrated';
    if (!integrated && !password) {
      throw new AppError('invalid', 'password_required', 'Enter your password to unlock Coffre.');
    }
    const { user } = integrated
      ? await this.backend.login('', '')
      : await this.backend.login(this.unlockUsername(this.user), password as string);
    const token = packSessionSecret(this.backend.session());
    if (token && this.profile) this.cache.storeToken(this.profile.id, token);
    this.user = user;
    this.status = 'signedIn';
    await this.signedIn.notify(this.backend, user);
    return this.changed();
  }

  /**
   * Basic sends the name as typed at sign-in (`DOMAIN\\user`, which IIS needs); the server may
   * name the user otherwise. Coffre's token sign-in takes the server's own name for the user.
   */
  private unlockUsername(user: User): string {
    return this.profile?.signIn === 'basic' && this.profile.username ? this.profile.username : user.username;
  }

  /** Network state as the services observe it; changes are broadcast. */
  setOnline(online: boolean): void {
    const next = online ? null : (this.offlineSince ?? this.clock.now());
    if (next === this.offlineSince) return;
    this.offlineSince = next;
    this.changed();
  }
}

import { toIso } from '../../common/ids.ts';
import type { LoginResponse } from '../../common/roles.ts';
import { hashToken, newToken } from '../crypto/tokens.ts';
import { verifyAgainstNothing, verifyUserPassword } from '../crypto/userPasswords.ts';
import type { PamStore } from '../store/pamStore.ts';
import type { AuditInput, UserRecord } from '../store/records.ts';
import type { Actor } from './actor.ts';
import { BasicAuthCache } from './basicAuthCache.ts';
import type { Clock } from './clock.ts';
import { LoginThrottle, type ThrottleState } from './loginThrottle.ts';
import { PamError } from './pamError.ts';
import type { SessionStreams } from './sessionStreams.ts';
import { toApiUser } from './views.ts';

export interface AuthOptions {
  tokenTtlMs: number;
  /** Failed logins per username (any address) before only clean addresses may try (loginThrottle.ts). */
  maxFailuresPerUser: number;
  /** Failed logins per address (any username) before the address waits out the window. */
  maxFailuresPerAddress: number;
  /** Failed logins per (username, address) before each further one doubles the wait. */
  freeFailuresPerPair: number;
  throttleBaseDelayMs: number;
  throttleWindowMs: number;
}

export const DEFAULT_AUTH_OPTIONS: AuthOptions = {
  tokenTtlMs: 8 * 60 * 60_000,
  maxFailuresPerUser: 10,
  maxFailuresPerAddress: 30,
  freeFailuresPerPair: 3,
  throttleBaseDelayMs: 1000,
  throttleWindowMs: 15 * 60_000,
};

const actorFrom = (user: UserRecord): Actor => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  roles: user.roles,
});

const unauthorized = () =>
  new PamError('unauthorized', 'Sign in again: the session is missing, expired or revoked.');

/** Logins, tokens and who the caller is. Tokens are random and kept only as hashes. */
export class AuthService {
  private readonly store: PamStore;
  private readonly clock: Clock;
  private readonly options: AuthOptions;
  private readonly throttle: LoginThrottle;
  private readonly streams: SessionStreams | undefined;
  /** Basic credentials verified in the last minute (the MIM dialect sends them with every call). */
  private readonly basicCache = new BasicAuthCache();

  constructor(deps: {
    store: PamStore;
    clock: Clock;
    options?: Partial<AuthOptions>;
    throttleState?: ThrottleState;
    streams?: SessionStreams;
  }) {
    this.store = deps.store;
    this.streams = deps.streams;
    this.clock = deps.clock;
    this.options = { ...DEFAULT_AUTH_OPTIONS, ...deps.options };
    this.throttle = new LoginThrottle(
      {
        windowMs: this.options.throttleWindowMs,
        maxFailuresPerUser: this.options.maxFailuresPerUser,
        maxFailuresPerAddress: this.options.maxFailuresPerAddress,
        freeFailures: this.options.freeFailuresPerPair,
        baseDelayMs: this.options.throttleBaseDelayMs,
      },
      deps.throttleState,
    );
  }

  /**
   * Signs in. `sealSessionKey` (DVLS's handshake) seals the session key for the new token's hash,
   * so the key is stored in the token's own row: every node that accepts the token has its key.
   */
  async login(
    username: string,
    password: string,
    address: string,
    options: { sealSessionKey?: (tokenHash: string) => string } = {},
  ): Promise<LoginResponse> {
    const user = await this.checkPassword(username, password, address);
    const now = this.clock.now();
    const token = newToken();
    const tokenHash = hashToken(token);
    const expiresAt = now + this.options.tokenTtlMs;
    await this.store.insertToken({
      tokenHash,
      userId: user.id,
      createdAt: now,
      expiresAt,
      sessionKeySealed: options.sealSessionKey?.(tokenHash) ?? null,
    });
    await this.store.appendAudit({
      audit: [{ at: now, actorId: user.id, actorName: user.username, action: 'login', details: address }],
      events: [],
    });
    return { tokenId: token, expiresAt: toIso(expiresAt), user: toApiUser(user) };
  }

  /**
   * The caller of one request signed in with HTTP Basic (the MIM dialect, as IIS offers it):
   * the same check and throttle as a login, but no token and no audit row for each success.
   */
  async authenticateBasic(username: string, password: string, address: string): Promise<Actor> {
    const key = this.basicCache.keyOf(username, password);
    const hit = this.basicCache.get(key, this.clock.now());
    if (hit) {
      const user = await this.store.getUser(hit.userId);
      if (user && !user.disabled && user.passwordHash === hit.passwordHash) return actorFrom(user);
    }
    const user = await this.checkPassword(username, password, address);
    this.basicCache.set(key, user.id, user.passwordHash, this.clock.now());
    return actorFrom(user);
  }

  /** The caller a trusted integrated sign-in (Kerberos) named; unknown or disabled users are refused. */
  async authenticatePrincipal(username: string): Promise<Actor> {
    const user = await this.store.getUserByName(username);
    if (!user || user.disabled) throw unauthorized();
    return actorFrom(user);
  }

  /** The user whose password this is, after the throttle; a wrong pair is audited and counted. */
  private async checkPassword(username: string, password: string, address: string): Promise<UserRecord> {
    const now = this.clock.now();
    // Counted before the (slow, awaited) verification, in the same atomic step as the check (one
    // synchronous step in memory, one transaction in PostgreSQL): parallel guesses cannot all slip
    // through a check that has not seen the others yet.
    const admission = await this.throttle.admitAsync(username, address, now);
    if (!admission.admitted) {
      const wait = admission.retryAfterSeconds;
      throw new PamError('throttled', `Too many failed sign-ins. Try again in ${wait} seconds.`, {
        retryAfterSeconds: wait,
      });
    }
    const user = await this.store.getUserByName(username);
    const valid =
      user && !user.disabled
        ? await verifyUserPassword(user.passwordHash, password)
        : await verifyAgainstNothing(password);
    if (!user || !valid) {
      const actor = { at: now, actorId: user?.id ?? null, actorName: username.slice(0, 256) };
      const audit: AuditInput[] = [{ ...actor, action: 'login.failed', details: address }];
      if (admission.reachesUserCeiling) {
        audit.push({ ...actor, action: 'login.locked', details: `user, last from ${address}` });
      }
      if (admission.reachesAddressLimit) {
        audit.push({ ...actor, action: 'login.locked', details: `address ${address}` });
      }
      await this.store.appendAudit({ audit, events: [] });
      throw new PamError('unauthorized', 'The username or password is incorrect.');
    }
    await this.throttle.succeededAsync(username, address, now);
    return user;
  }

  async authenticate(token: string | undefined): Promise<Actor> {
    if (!token) throw unauthorized();
    const user = await this.store.getActorByToken(hashToken(token), this.clock.now());
    if (!user) throw unauthorized();
    return actorFrom(user);
  }

  async logout(token: string, actor: Actor): Promise<void> {
    await this.store.revokeToken(hashToken(token));
    this.streams?.closeToken(hashToken(token));
    await this.store.appendAudit({
      audit: [{ at: this.clock.now(), actorId: actor.id, actorName: actor.username, action: 'logout' }],
      events: [],
    });
  }
}

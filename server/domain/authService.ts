import { toIso } from '../../common/ids.ts';
import type { LoginResponse } from '../../common/roles.ts';
import { hashToken, newToken } from '../crypto/tokens.ts';
import { verifyAgainstNothing, verifyUserPassword } from '../crypto/userPasswords.ts';
import type { PamStore } from '../store/pamStore.ts';
import type { UserRecord } from '../store/records.ts';
import type { Actor } from './actor.ts';
import type { Clock } from './clock.ts';
import { LoginThrottle } from './loginThrottle.ts';
import { PamError } from './pamError.ts';
import { toApiUser } from './views.ts';

export interface AuthOptions {
  tokenTtlMs: number;
  /** Failed logins allowed per username and per address within the window. */
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  throttleWindowMs: number;
}

export const DEFAULT_AUTH_OPTIONS: AuthOptions = {
  tokenTtlMs: 8 * 60 * 60_000,
  maxFailuresPerUser: 5,
  maxFailuresPerAddress: 30,
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
  private readonly userThrottle: LoginThrottle;
  private readonly addressThrottle: LoginThrottle;

  constructor(deps: { store: PamStore; clock: Clock; options?: Partial<AuthOptions> }) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.options = { ...DEFAULT_AUTH_OPTIONS, ...deps.options };
    this.userThrottle = new LoginThrottle({
      maxFailures: this.options.maxFailuresPerUser,
      windowMs: this.options.throttleWindowMs,
    });
    this.addressThrottle = new LoginThrottle({
      maxFailures: this.options.maxFailuresPerAddress,
      windowMs: this.options.throttleWindowMs,
    });
  }

  async login(username: string, password: string, address: string): Promise<LoginResponse> {
    const user = await this.checkPassword(username, password, address);
    const now = this.clock.now();
    const token = newToken();
    const expiresAt = now + this.options.tokenTtlMs;
    await this.store.insertToken({ tokenHash: hashToken(token), userId: user.id, createdAt: now, expiresAt });
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
    return actorFrom(await this.checkPassword(username, password, address));
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
    const userKey = username.toLowerCase();
    const wait = Math.max(
      this.userThrottle.retryAfterSeconds(userKey, now),
      this.addressThrottle.retryAfterSeconds(address, now),
    );
    if (wait > 0) {
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
      this.userThrottle.recordFailure(userKey, now);
      this.addressThrottle.recordFailure(address, now);
      await this.store.appendAudit({
        audit: [
          {
            at: now,
            actorId: user?.id ?? null,
            actorName: username.slice(0, 256),
            action: 'login.failed',
            details: address,
          },
        ],
        events: [],
      });
      throw new PamError('unauthorized', 'The username or password is incorrect.');
    }
    this.userThrottle.reset(userKey);
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
    await this.store.appendAudit({
      audit: [{ at: this.clock.now(), actorId: actor.id, actorName: actor.username, action: 'logout' }],
      events: [],
    });
  }
}

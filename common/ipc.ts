/**
 * The IPC contract between the renderer and the main process: one table of calls (argument schema
 * + result type) and one event stream. The preload, the router and the renderer's types all derive
 * from it, so a wrong call fails to compile, and the router validates every argument against it.
 */
import { z } from 'zod';
import type { AuditEntry } from './audit.ts';
import type { Approver, Checkout, Credential, Vault } from './checkout.ts';
import type { ClientErrorKind } from './errors.ts';
import { guidSchema } from './ids.ts';
import type { User } from './roles.ts';
import {
  CREDENTIAL_SORTS,
  CREDENTIAL_STATES,
  EXTEND_BOUNDS,
  LANGUAGES,
  MAX_FAVOURITES,
  MAX_RECENT,
  SETTINGS_BOUNDS,
  THEMES,
} from './settings.ts';

export const dialectSchema = z.enum(['checkout', 'mim']);
export type Dialect = z.infer<typeof dialectSchema>;

export const serverProfileSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(100),
  url: z.url({ protocol: /^https?$/ }).max(2048),
  /**
   * Other nodes of the same server (issue 16): when `url` does not answer, the client goes on with
   * the next one, with the same session (tokens are valid on every node).
   */
  failoverUrls: z
    .array(z.url({ protocol: /^https?$/ }).max(2048))
    .max(8)
    .optional(),
  dialect: dialectSchema,
  username: z.string().max(256).optional(),
  /** PEM of a private CA or self-signed certificate to trust for this server. */
  caPem: z.string().max(65_536).optional(),
  /**
   * How to sign in (absent: username and password, Coffre's token). `integrated`: the user's
   * Windows sign-in, done by the OS through the desktop's network stack (MIM behind IIS).
   */
  signIn: z.enum(['token', 'basic', 'integrated']).optional(),
});
export type ServerProfile = z.infer<typeof serverProfileSchema>;

/** Every address of a profile, for the client's failover: `url` first, then its other nodes. */
export function profileBaseUrl(profile: Pick<ServerProfile, 'url' | 'failoverUrls'>): string {
  return [profile.url, ...(profile.failoverUrls ?? [])].join(',');
}

export const settingsSchema = z.object({
  /** Seconds before a copied password is cleared from the clipboard. */
  clipboardClearSeconds: z
    .number()
    .int()
    .min(SETTINGS_BOUNDS.clipboardClearSeconds.min)
    .max(SETTINGS_BOUNDS.clipboardClearSeconds.max),
  /** Minutes of inactivity before the app locks; 0 = never. */
  autoLockMinutes: z
    .number()
    .int()
    .min(SETTINGS_BOUNDS.autoLockMinutes.min)
    .max(SETTINGS_BOUNDS.autoLockMinutes.max),
  /** Seconds a revealed password stays on screen. */
  revealSeconds: z
    .number()
    .int()
    .min(SETTINGS_BOUNDS.revealSeconds.min)
    .max(SETTINGS_BOUNDS.revealSeconds.max),
  language: z.enum(LANGUAGES),
  theme: z.enum(THEMES),
  profiles: z.array(serverProfileSchema).max(50),
  lastProfileId: z.string().nullable(),
  /** Credentials the user starred: listed first (issue 15, item 7). Ids only, never a secret. */
  favouriteCredentialIds: z.array(guidSchema).max(MAX_FAVOURITES),
  /** Credentials the user checked out lately, the latest first: listed after the favourites. */
  recentCredentialIds: z.array(guidSchema).max(MAX_RECENT),
});
export type Settings = z.infer<typeof settingsSchema>;
export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = {
  clipboardClearSeconds: 30,
  autoLockMinutes: 10,
  revealSeconds: 20,
  language: 'system',
  theme: 'system',
  profiles: [],
  lastProfileId: null,
  favouriteCredentialIds: [],
  recentCredentialIds: [],
};

export type SessionStatus = 'signedOut' | 'locked' | 'signedIn';
export type SecretStorageState = 'os' | 'basic_text' | 'unavailable';

export interface SessionState {
  status: SessionStatus;
  user: User | null;
  profile: ServerProfile | null;
  capabilities: {
    passwordRead: boolean;
    serverEvents: boolean;
    selfApproval: boolean;
    extend: boolean;
    grantShorter: boolean;
    scheduledStart: boolean;
    /** False: the server sends a request to every approver of the credential (MIM), none is chosen. */
    approverChoice: boolean;
  } | null;
  /** Where the OS keeps the cache key; anything but 'os' means the token is not persisted. */
  secretStorage: SecretStorageState;
  tokenPersisted: boolean;
  /** ISO time since which the server has been unreachable; null when online. */
  offlineSince: string | null;
  lastSyncAt: string | null;
  /** The embedded demo server, when this app started one. */
  demoServerUrl: string | null;
  /** Why the local cache is weaker than usual, for the renderer to explain (translated by code). */
  storageWarning: 'keyring_unavailable' | 'keyring_plaintext' | 'cache_reset' | null;
}

export const signInSchema = z
  .object({
    profile: serverProfileSchema,
    username: z.string().trim().max(256),
    password: z.string().max(1024),
  })
  .superRefine((input, context) => {
    // A Windows sign-in takes neither: the OS proves who the user is.
    if (input.profile.signIn === 'integrated') return;
    if (input.username === '') context.addIssue({ code: 'custom', path: ['username'], message: 'required' });
    if (input.password === '') context.addIssue({ code: 'custom', path: ['password'], message: 'required' });
  });

/** Which API a server answers (the sign-in screen's "Server type" follows it where it can). */
export const serverProbeSchema = z.object({ url: z.url({ protocol: /^https?$/ }).max(2048) });
export interface ServerProbeResult {
  /** The APIs the server answered, checkout (Devolutions Server) first; empty: it could not tell. */
  dialects: Dialect[];
  /** Why nothing could be learned, when it is known. */
  failure: 'unreachable' | 'tls' | null;
}

export const credentialQuerySchema = z.object({
  vaultId: guidSchema.optional(),
  search: z.string().max(200).optional(),
  /** Only the credentials in this state for the user (credentialState.ts); absent: all. */
  status: z.enum(CREDENTIAL_STATES).optional(),
  /** Name order (default), or by vault name then name. Favourites and recent ones come first either way. */
  sort: z.enum(CREDENTIAL_SORTS).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type CredentialQuery = z.input<typeof credentialQuerySchema>;

export interface CredentialListResult {
  data: Credential[];
  total: number;
  /** From the cache while the server is unreachable. */
  offlineSince: string | null;
}

export const idSchema = z.object({ id: guidSchema });
export const credentialIdSchema = z.object({ credentialId: guidSchema });

export const requestCheckoutSchema = z.object({
  credentialId: guidSchema,
  reason: z.string().max(2000).optional(),
  approverId: guidSchema.optional(),
  duration: z.number().int().positive().max(525_600).optional(),
});
export type RequestCheckoutInput = z.infer<typeof requestCheckoutSchema>;

export interface RequestCheckoutResult {
  checkout: Checkout;
  /** The password is held by the main process; the renderer copies or reveals it on demand. */
  passwordReady: boolean;
}

export const decisionSchema = z.object({ id: guidSchema, message: z.string().max(2000).optional() });
/** Approving: `duration`, the minutes granted when the approver shortens the request. */
export const approveSchema = decisionSchema.extend({
  duration: z.number().int().positive().max(525_600).optional(),
});
export const extendSchema = z.object({
  id: guidSchema,
  minutes: z.number().int().min(EXTEND_BOUNDS.min).max(EXTEND_BOUNDS.max),
});

export interface CopyResult {
  /** ISO time at which the clipboard is cleared if it still holds the password. */
  clearsAt: string;
}
export interface RevealResult {
  password: string;
  hideAt: string;
}

export const auditFilterSchema = z.object({
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  credentialId: guidSchema.optional(),
  userId: guidSchema.optional(),
});

const none = z.undefined();

/** Every call: `area:method` → argument schema and result type. */
export const ipcCalls = {
  'session:getState': { args: none, result: {} as SessionState },
  'session:signIn': { args: signInSchema, result: {} as SessionState },
  'session:signOut': { args: none, result: {} as SessionState },
  'session:lock': { args: none, result: {} as SessionState },
  /** No password for a Windows (integrated) sign-in: unlocking runs that sign-in again. */
  'session:unlock': {
    args: z.object({ password: z.string().min(1).max(1024).optional() }),
    result: {} as SessionState,
  },
  'settings:get': { args: none, result: {} as Settings },
  'settings:update': { args: settingsPatchSchema, result: {} as Settings },
  'server:probe': { args: serverProbeSchema, result: {} as ServerProbeResult },
  'vaults:list': { args: none, result: [] as Vault[] },
  'credentials:list': { args: credentialQuerySchema, result: {} as CredentialListResult },
  'credentials:get': { args: idSchema, result: {} as Credential },
  'credentials:approvers': { args: credentialIdSchema, result: [] as Approver[] },
  'sync:now': { args: none, result: {} as { count: number } },
  'checkouts:request': { args: requestCheckoutSchema, result: {} as RequestCheckoutResult },
  'checkouts:mine': { args: none, result: [] as Checkout[] },
  'checkouts:history': { args: none, result: [] as Checkout[] },
  'checkouts:extend': { args: extendSchema, result: {} as Checkout },
  'checkouts:checkIn': { args: idSchema, result: {} as Checkout },
  'checkouts:cancel': { args: idSchema, result: {} as Checkout },
  'approvals:list': { args: none, result: [] as Checkout[] },
  'approvals:approve': { args: approveSchema, result: {} as Checkout },
  'approvals:deny': { args: decisionSchema, result: {} as Checkout },
  'password:copy': { args: credentialIdSchema, result: {} as CopyResult },
  'username:copy': { args: credentialIdSchema, result: undefined as undefined },
  'password:reveal': { args: credentialIdSchema, result: {} as RevealResult },
  'password:hide': { args: credentialIdSchema, result: undefined as undefined },
  'audit:list': { args: auditFilterSchema, result: [] as AuditEntry[] },
} as const;

export type IpcChannel = keyof typeof ipcCalls;

/**
 * The least session state a call needs, checked by the router before the handler runs:
 * `signedOut` — any state (sign-in, settings, the session's own state); `signedIn` — a session,
 * locked or not; `unlocked` — signed in and unlocked (everything that shows or changes the vault).
 */
export type SessionRequirement = 'signedOut' | 'signedIn' | 'unlocked';

export const ipcSessionRequirements: Readonly<Record<IpcChannel, SessionRequirement>> = {
  'session:getState': 'signedOut',
  // Signing in again (another account, from the lock screen) signs the current session out first.
  'session:signIn': 'signedOut',
  'session:signOut': 'signedOut',
  'session:lock': 'signedOut',
  'session:unlock': 'signedIn',
  'settings:get': 'signedOut',
  'settings:update': 'signedOut',
  // Before signing in: which API the server at an address speaks.
  'server:probe': 'signedOut',
  'vaults:list': 'unlocked',
  'credentials:list': 'unlocked',
  'credentials:get': 'unlocked',
  'credentials:approvers': 'unlocked',
  'sync:now': 'unlocked',
  'checkouts:request': 'unlocked',
  'checkouts:mine': 'unlocked',
  'checkouts:history': 'unlocked',
  'checkouts:extend': 'unlocked',
  'checkouts:checkIn': 'unlocked',
  'checkouts:cancel': 'unlocked',
  'approvals:list': 'unlocked',
  'approvals:approve': 'unlocked',
  'approvals:deny': 'unlocked',
  'password:copy': 'unlocked',
  'username:copy': 'unlocked',
  'password:reveal': 'unlocked',
  // Hiding a revealed password is always allowed: it only ever takes something out of sight.
  'password:hide': 'signedOut',
  'audit:list': 'unlocked',
};
export type IpcArgs<C extends IpcChannel> = z.input<(typeof ipcCalls)[C]['args']>;
export type IpcParsedArgs<C extends IpcChannel> = z.output<(typeof ipcCalls)[C]['args']>;
export type IpcResult<C extends IpcChannel> = (typeof ipcCalls)[C]['result'];
export const IPC_CHANNELS = Object.keys(ipcCalls) as IpcChannel[];
/** The one channel on which the main process pushes AppEvents. */
export const IPC_EVENT_CHANNEL = 'coffre:event';

/** Errors cross IPC as data, never as thrown objects (Electron would flatten them to a string). */
export interface IpcError {
  /** The client core's kinds, plus the app's own: locked, and internal (a bug). */
  kind: ClientErrorKind | 'locked' | 'internal';
  code: string;
  message: string;
}
export type IpcEnvelope<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export type AppEvent =
  | { type: 'session.changed'; state: SessionState }
  | { type: 'sync.progress'; done: number; total: number }
  | { type: 'checkouts.changed' }
  | { type: 'approvals.changed'; pending: number }
  | {
      type: 'clipboard.changed';
      state: 'copied' | 'cleared';
      credentialId: string | null;
      clearsAt: string | null;
    }
  | { type: 'password.hidden'; credentialId: string }
  | { type: 'expiry.warning'; checkoutId: string; credentialName: string; expiresAt: string }
  | {
      type: 'navigate';
      route: 'credentials' | 'checkouts' | 'approvals' | 'history' | 'settings';
      id?: string;
    };

type AreaOf<C> = C extends `${infer A}:${string}` ? A : never;
type MethodOf<C, A extends string> = C extends `${A}:${infer M}` ? M : never;
type CallFn<C extends IpcChannel> =
  undefined extends IpcArgs<C>
    ? (args?: IpcArgs<C>) => Promise<IpcEnvelope<IpcResult<C>>>
    : (args: IpcArgs<C>) => Promise<IpcEnvelope<IpcResult<C>>>;

/** What `window.coffre` is: `coffre.checkouts.request({...})`, …, and `onEvent(cb) → unsubscribe`. */
export type CoffreApi = {
  [A in AreaOf<IpcChannel>]: { [M in MethodOf<IpcChannel, A>]: CallFn<`${A}:${M}` & IpcChannel> };
} & { onEvent(listener: (event: AppEvent) => void): () => void };

/** Builds the `window.coffre` object from any transport (Electron's preload, or the test bridge). */
export function buildCoffreApi(
  invoke: (channel: IpcChannel, args: unknown) => Promise<unknown>,
  subscribe: (listener: (event: AppEvent) => void) => () => void,
): CoffreApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const channel of IPC_CHANNELS) {
    const [area, method] = channel.split(':') as [string, string];
    api[area] ??= {};
    api[area][method] = (args?: unknown) => invoke(channel, args);
  }
  return {
    ...api,
    onEvent: (listener: (event: AppEvent) => void) => subscribe(listener),
  } as unknown as CoffreApi;
}

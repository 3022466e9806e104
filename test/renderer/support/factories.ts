import type { Checkout, Credential } from '../../../common/checkout.ts';
import type { SessionState } from '../../../common/ipc.ts';
import { DEFAULT_POLICY, type Policy } from '../../../common/policy.ts';
import type { User } from '../../../common/roles.ts';

export const USER_ID = 'b0b0b0b0-1111-4a4a-8b8b-000000000001';
export const OTHER_ID = 'cccccccc-2222-4a4a-8b8b-000000000003';
export const VAULT_ID = 'a1000000-0000-4000-8000-000000000001';

export function guid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function credential(
  n: number,
  overrides: Omit<Partial<Credential>, 'policy'> & { policy?: Partial<Policy> } = {},
): Credential {
  const { policy, ...rest } = overrides;
  return {
    id: guid(n),
    vaultID: VAULT_ID,
    name: `server-${n}`,
    username: 'root',
    host: `host-${n}.example.com`,
    description: '',
    policy: { ...DEFAULT_POLICY, ...policy },
    checkout: null,
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...rest,
  };
}

export function checkout(overrides: Partial<Checkout> = {}): Checkout {
  return {
    id: guid(9000),
    userID: USER_ID,
    username: 'bob',
    credentialID: guid(1),
    credentialName: 'server-1',
    approverID: null,
    approverName: null,
    reason: '',
    approverMessage: '',
    status: 4,
    duration: 120,
    requestDateTime: '2026-01-01T10:00:00.000Z',
    scheduledStart: null,
    checkoutDateTime: '2026-01-01T10:00:00.000Z',
    checkInDateTime: null,
    expiresAt: '2026-01-01T12:00:00.000Z',
    ...overrides,
  };
}

export const BOB: User = { id: USER_ID, username: 'bob', displayName: 'Bob Martin', roles: ['user'] };

export function sessionState(overrides: Partial<SessionState> = {}): SessionState {
  return {
    status: 'signedIn',
    user: BOB,
    profile: { id: 'p1', name: 'Demo', url: 'http://127.0.0.1:4000', dialect: 'checkout', username: 'bob' },
    capabilities: {
      passwordRead: true,
      serverEvents: true,
      selfApproval: true,
      extend: true,
      grantShorter: true,
      scheduledStart: false,
      approverChoice: true,
    },
    secretStorage: 'os',
    tokenPersisted: true,
    offlineSince: null,
    lastSyncAt: null,
    demoServerUrl: null,
    storageWarning: null,
    ...overrides,
  };
}

/** A `credentials:list` handler over `count` generated credentials, honouring offset/limit/search. */
export function credentialSource(count: number) {
  return (args: { offset?: number; limit?: number; search?: string; vaultId?: string }) => {
    const offset = args.offset ?? 0;
    const limit = args.limit ?? 200;
    const search = args.search?.toLowerCase();
    const all: number[] = [];
    for (let n = 1; n <= count; n++) if (!search || `server-${n}`.includes(search)) all.push(n);
    return {
      data: all.slice(offset, offset + limit).map((n) => credential(n)),
      total: all.length,
      offlineSince: null,
    };
  };
}

import {
  type CreateGroupRequest,
  type CreateVaultRequest,
  createGroupRequestSchema,
  createVaultRequestSchema,
} from '../common/admin.ts';
import type { PolicyPatch } from '../common/policy.ts';
import type { Role } from '../common/roles.ts';
import type { ServerContext } from './context.ts';

export const DEMO_PASSWORD = 'coffre-demo';

/** Demo users; ids of maurice, alice and PRIV.Jen are the seeds' own. */
export const DEMO_USERS: ReadonlyArray<{ id: string; username: string; displayName: string; roles: Role[] }> =
  [
    {
      id: 'b0b0b0b0-1111-4a4a-8b8b-000000000001',
      username: 'bob',
      displayName: 'Bob Martin',
      roles: ['user'],
    },
    {
      id: '49a60972-b1ff-4be9-ac73-47c6d4a4125d',
      username: 'maurice',
      displayName: 'Maurice Tremblay',
      roles: ['user', 'approver'],
    },
    {
      id: 'cccccccc-2222-4a4a-8b8b-000000000003',
      username: 'kelly',
      displayName: 'Kelly Nguyen',
      roles: ['user'],
    },
    {
      id: '2364ec1f-a739-450b-afe8-d85b5a3db50e',
      username: 'alice',
      displayName: 'Alice Gagnon',
      roles: ['approver'],
    },
    {
      id: '73257e5e-00b3-4309-a330-f1e607ff113a',
      username: 'PRIV.Jen',
      displayName: 'Jen (privileged)',
      roles: ['user'],
    },
    {
      id: 'adadadad-3333-4a4a-8b8b-000000000006',
      username: 'admin',
      displayName: 'Administrator',
      roles: ['admin', 'approver', 'user'],
    },
    // Two teams with vaults of their own (vault permissions): the DBAs and the Windows admins.
    {
      id: 'da1a0000-4444-4a4a-8b8b-000000000007',
      username: 'dana',
      displayName: 'Dana Roy (DBA lead)',
      roles: ['user', 'approver'],
    },
    {
      id: 'da1a0000-4444-4a4a-8b8b-000000000008',
      username: 'raj',
      displayName: 'Raj Patel (DBA)',
      roles: ['user'],
    },
    {
      id: 'da1a0000-4444-4a4a-8b8b-000000000009',
      username: 'wes',
      displayName: 'Wes Dubois (Windows lead)',
      roles: ['user', 'approver'],
    },
    {
      id: 'da1a0000-4444-4a4a-8b8b-00000000000a',
      username: 'tina',
      displayName: 'Tina Bouchard (Windows)',
      roles: ['user'],
    },
  ];

export const DEMO_IDS = {
  bob: 'b0b0b0b0-1111-4a4a-8b8b-000000000001',
  maurice: '49a60972-b1ff-4be9-ac73-47c6d4a4125d',
  kelly: 'cccccccc-2222-4a4a-8b8b-000000000003',
  alice: '2364ec1f-a739-450b-afe8-d85b5a3db50e',
  jen: '73257e5e-00b3-4309-a330-f1e607ff113a',
  admin: 'adadadad-3333-4a4a-8b8b-000000000006',
  dana: 'da1a0000-4444-4a4a-8b8b-000000000007',
  raj: 'da1a0000-4444-4a4a-8b8b-000000000008',
  wes: 'da1a0000-4444-4a4a-8b8b-000000000009',
  tina: 'da1a0000-4444-4a4a-8b8b-00000000000a',
  /** The DBA team's vault: the DBA group requests, dana manages (and approves), tina only views. */
  dbaVault: 'a1000000-0000-4000-8000-000000000005',
  /** The Windows team's vault: the Windows group requests, wes approves. */
  windowsVault: 'a1000000-0000-4000-8000-000000000006',
  dbaGroup: 'a2000000-0000-4000-8000-000000000001',
  windowsGroup: 'a2000000-0000-4000-8000-000000000002',
  /** In the DBA vault, approved by dana: what tina sees but may not request. */
  payrollDbCredential: 'c3000000-0000-4000-8000-000000000001',
  /** In the Windows vault, approved by wes. */
  exchangeCredential: 'c3000000-0000-4000-8000-000000000003',
  /** Seed example 1: no approval, rotated at check-in. */
  autoCredential: '92e1d27f-6e7b-4c62-86da-a04fc22603c2',
  /** Seed example 2: approval mandatory, maurice approves, self-approval allowed. */
  selfApprovalCredential: '2735a06c-baa0-4ff9-911c-aa1fcc03ea1e',
  /** Seed example 3: approval mandatory by alice, reason mandatory. */
  approvedCredential: '08a521fe-14f7-4ae5-b2b9-d9f6164c15e8',
  /**
   * The MIM role of seed 002 ("ApprovalRole"), with the RoleId of Microsoft's examples (Get PAM
   * roles, Create PAM request): approved by either of its approvers, alice or maurice.
   */
  mimRoleCredential: 'c28eab4a-95cf-4c08-a153-d5e8a9e660cd',
  /** The other role of Microsoft's examples ("Allow AD Access"): no approval, TTL 3600. */
  mimOpenRoleCredential: '8f5cec1a-ecba-42ec-b76d-e6e0e4bf4c62',
} as const;

const VAULTS: ReadonlyArray<{ id: string; name: string; description: string; policy: PolicyPatch }> = [
  {
    id: 'a1000000-0000-4000-8000-000000000001',
    name: 'Servers',
    description: 'Windows and Linux server accounts',
    policy: {},
  },
  {
    id: 'a1000000-0000-4000-8000-000000000002',
    name: 'Domain',
    description: 'Active Directory privileged accounts',
    policy: {
      approvalMode: 'mandatory',
      approvers: [DEMO_IDS.alice, DEMO_IDS.maurice],
      reasonMode: 'mandatory',
    },
  },
  {
    id: 'a1000000-0000-4000-8000-000000000003',
    name: 'Databases',
    description: 'Database administrator accounts',
    policy: { maxDuration: 240 },
  },
  {
    id: 'a1000000-0000-4000-8000-000000000004',
    name: 'Network',
    description: 'Routers, switches and firewalls',
    policy: { rotateOnCheckin: true },
  },
];

const [servers, domain, databases, network] = VAULTS.map((vault) => vault.id) as [
  string,
  string,
  string,
  string,
];

const CREDENTIALS: ReadonlyArray<{
  id: string;
  vaultID: string;
  name: string;
  username: string;
  host: string;
  description: string;
  policy: PolicyPatch;
}> = [
  {
    id: DEMO_IDS.autoCredential,
    vaultID: servers,
    name: 'Bob — web01 local admin',
    username: 'Administrator',
    host: 'web01.corp.example',
    description: 'Seed example 1: checked out at once, rotated at check-in',
    policy: { approvalMode: 'none', rotateOnCheckin: true },
  },
  {
    id: DEMO_IDS.selfApprovalCredential,
    vaultID: servers,
    name: 'Maurice — app02 root',
    username: 'root',
    host: 'app02.corp.example',
    description: 'Seed example 2: maurice may approve his own request',
    policy: { approvalMode: 'mandatory', approvers: [DEMO_IDS.maurice], selfApproval: true },
  },
  {
    id: DEMO_IDS.approvedCredential,
    vaultID: servers,
    name: 'Kelly — file server admin',
    username: 'fsadmin',
    host: 'fs01.corp.example',
    description: 'Seed example 3: alice approves, a reason is required',
    policy: { approvalMode: 'mandatory', approvers: [DEMO_IDS.alice], reasonMode: 'mandatory' },
  },
  {
    id: DEMO_IDS.mimRoleCredential,
    vaultID: domain,
    name: 'ApprovalRole',
    username: 'PRIV.Jen',
    host: 'corp.example',
    description: 'MIM-style PAM role (seed 002)',
    // MIM roles have no justification setting: optional, so Microsoft's Request 2 (empty) works.
    policy: { reasonMode: 'optional' },
  },
  {
    id: DEMO_IDS.mimOpenRoleCredential,
    vaultID: domain,
    name: 'Allow AD Access',
    username: 'PRIV.Jen',
    host: 'corp.example',
    description: "MIM-style PAM role without approval (Microsoft's Get PAM roles example)",
    policy: { approvalMode: 'none', reasonMode: 'optional', maxDuration: 60, defaultDuration: 60 },
  },
  {
    id: 'c2000000-0000-4000-8000-000000000001',
    vaultID: domain,
    name: 'Domain Admin',
    username: 'CORP\\da-admin',
    host: 'dc01.corp.example',
    description: 'Domain Admins group member',
    policy: {},
  },
  {
    id: 'c2000000-0000-4000-8000-000000000002',
    vaultID: domain,
    name: 'Enterprise Admin',
    username: 'CORP\\ea-admin',
    host: 'dc01.corp.example',
    description: 'Forest-wide administration',
    policy: { maxDuration: 60, defaultDuration: 30 },
  },
  {
    id: 'c2000000-0000-4000-8000-000000000003',
    vaultID: servers,
    name: 'Linux jump host root',
    username: 'root',
    host: 'jump01.corp.example',
    description: 'Bastion host',
    policy: {},
  },
  {
    id: 'c2000000-0000-4000-8000-000000000004',
    vaultID: databases,
    name: 'PostgreSQL superuser',
    username: 'postgres',
    host: 'pg01.corp.example',
    description: 'Production database cluster',
    policy: { approvalMode: 'mandatory', approvers: [DEMO_IDS.alice], reasonMode: 'mandatory' },
  },
  {
    id: 'c2000000-0000-4000-8000-000000000005',
    vaultID: databases,
    name: 'SQL Server sa',
    username: 'sa',
    host: 'mssql01.corp.example',
    description: 'Finance database',
    policy: {},
  },
  {
    id: 'c2000000-0000-4000-8000-000000000006',
    vaultID: databases,
    name: 'Oracle SYS',
    username: 'SYS',
    host: 'ora01.corp.example',
    description: 'ERP database',
    policy: { exclusive: false },
  },
  {
    id: 'c2000000-0000-4000-8000-000000000007',
    vaultID: network,
    name: 'Core switch enable',
    username: 'admin',
    host: 'sw-core-01',
    description: 'Cisco core switch',
    policy: {},
  },
  {
    id: 'c2000000-0000-4000-8000-000000000008',
    vaultID: network,
    name: 'Edge firewall',
    username: 'admin',
    host: 'fw-edge-01',
    description: 'Perimeter firewall',
    policy: { approvalMode: 'mandatory', approvers: [DEMO_IDS.alice, DEMO_IDS.maurice] },
  },
  {
    id: 'c2000000-0000-4000-8000-000000000009',
    vaultID: network,
    name: 'Wi-Fi controller',
    username: 'admin',
    host: 'wlc01.corp.example',
    description: 'Wireless LAN controller',
    policy: { reasonMode: 'none' },
  },
];

/** The teams' groups; their vaults below name them as members. */
const GROUPS: ReadonlyArray<CreateGroupRequest & { id: string }> = [
  {
    id: DEMO_IDS.dbaGroup,
    name: 'DBA',
    description: 'Database administrators',
    memberIDs: [DEMO_IDS.dana, DEMO_IDS.raj],
  },
  {
    id: DEMO_IDS.windowsGroup,
    name: 'Windows',
    description: 'Windows server administrators',
    memberIDs: [DEMO_IDS.wes, DEMO_IDS.tina],
  },
];

/** Vaults of one team each: the other users (and the Everyone group) are not members. */
const TEAM_VAULTS: ReadonlyArray<CreateVaultRequest & { id: string }> = [
  {
    id: DEMO_IDS.dbaVault,
    name: 'DBA team',
    description: 'Production databases, for the DBA team only',
    policy: { approvalMode: 'mandatory', approvers: [DEMO_IDS.dana], reasonMode: 'mandatory' },
    members: [
      { memberType: 'group', memberID: DEMO_IDS.dbaGroup, role: 'request' },
      { memberType: 'user', memberID: DEMO_IDS.dana, role: 'manage' },
      { memberType: 'user', memberID: DEMO_IDS.tina, role: 'view' },
    ],
  },
  {
    id: DEMO_IDS.windowsVault,
    name: 'Windows team',
    description: 'Windows servers, for the Windows team only',
    policy: { approvalMode: 'mandatory', approvers: [DEMO_IDS.wes] },
    members: [
      { memberType: 'group', memberID: DEMO_IDS.windowsGroup, role: 'request' },
      { memberType: 'user', memberID: DEMO_IDS.wes, role: 'approve' },
    ],
  },
];

const TEAM_CREDENTIALS: typeof CREDENTIALS = [
  {
    id: DEMO_IDS.payrollDbCredential,
    vaultID: DEMO_IDS.dbaVault,
    name: 'Payroll DB owner',
    username: 'payroll_owner',
    host: 'pg-payroll.corp.example',
    description: 'Payroll database owner; dana approves',
    policy: {},
  },
  {
    id: 'c3000000-0000-4000-8000-000000000002',
    vaultID: DEMO_IDS.dbaVault,
    name: 'Data warehouse admin',
    username: 'dwadmin',
    host: 'dw01.corp.example',
    description: 'Analytics warehouse',
    policy: { maxDuration: 120 },
  },
  {
    id: DEMO_IDS.exchangeCredential,
    vaultID: DEMO_IDS.windowsVault,
    name: 'Exchange server admin',
    username: 'CORP\\ex-admin',
    host: 'ex01.corp.example',
    description: 'Mail servers; wes approves',
    policy: {},
  },
  {
    id: 'c3000000-0000-4000-8000-000000000004',
    vaultID: DEMO_IDS.windowsVault,
    name: 'Print server admin',
    username: 'Administrator',
    host: 'print01.corp.example',
    description: 'Print servers',
    policy: { approvalMode: 'none' },
  },
];

/** Seeds the demo data into an empty store; a store that already has users is left as it is. */
export async function seedDemo(ctx: ServerContext): Promise<boolean> {
  if ((await ctx.store.countUsers()) > 0) return false;
  for (const user of DEMO_USERS) {
    await ctx.admin.createUser(null, { ...user, password: DEMO_PASSWORD });
  }
  // The seeds' vaults: everyone may request and approve there, as before vault permissions.
  for (const vault of VAULTS) await ctx.admin.createVault(null, vault);
  for (const group of GROUPS) await ctx.admin.createGroup(null, createGroupRequestSchema.parse(group));
  for (const vault of TEAM_VAULTS) await ctx.admin.createVault(null, createVaultRequestSchema.parse(vault));
  for (const credential of [...CREDENTIALS, ...TEAM_CREDENTIALS]) {
    await ctx.admin.createCredential(null, credential);
  }
  return true;
}

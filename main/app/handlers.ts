import type { ServerProbeResult } from '../../common/ipc.ts';
import type { IpcHandlers } from '../ipc/router.ts';
import type { AuditTrail } from '../services/auditTrail.ts';
import type { CheckoutActions } from '../services/checkoutActions.ts';
import type { PasswordAccess } from '../services/passwordAccess.ts';
import type { SessionService } from '../services/sessionService.ts';
import type { SettingsService } from '../services/settingsService.ts';
import type { SyncService } from '../services/syncService.ts';

/**
 * The IPC handler table: each entry calls one service method and nothing else. The router has
 * already checked the sender, the argument and the session state the contract requires.
 */
export function createHandlers(services: {
  session: SessionService;
  settings: SettingsService;
  sync: SyncService;
  checkouts: CheckoutActions;
  passwords: PasswordAccess;
  audit: AuditTrail;
  probeServer: (url: string) => Promise<ServerProbeResult>;
}): IpcHandlers {
  const { session, settings, sync, checkouts, passwords, audit, probeServer } = services;
  return {
    'session:getState': () => session.state(),
    'session:signIn': (args) => session.signIn(args),
    'session:signOut': () => session.signOut(),
    'session:lock': () => session.lock('user'),
    'session:unlock': ({ password }) => session.unlock(password),
    'settings:get': () => settings.get(),
    'settings:update': (patch) => settings.update(patch),
    'server:probe': ({ url }) => probeServer(url),
    'vaults:list': () => sync.listVaults(),
    'credentials:list': (query) => sync.listCredentials(query),
    'credentials:get': ({ id }) => sync.fetchCredential(id),
    'credentials:approvers': ({ credentialId }) => checkouts.approvers(credentialId),
    'sync:now': () => sync.sync(),
    'checkouts:request': (input) => checkouts.request(input),
    'checkouts:mine': () => checkouts.mine(),
    'checkouts:history': () => checkouts.history(),
    'checkouts:extend': ({ id, minutes }) => checkouts.extend(id, minutes),
    'checkouts:checkIn': ({ id }) => checkouts.checkIn(id),
    'checkouts:cancel': ({ id }) => checkouts.cancel(id),
    'approvals:list': () => checkouts.toApprove(),
    'approvals:approve': ({ id, message, duration }) => checkouts.decide(id, true, message, duration),
    'approvals:deny': ({ id, message }) => checkouts.decide(id, false, message),
    'password:copy': ({ credentialId }) => passwords.copy(credentialId),
    'username:copy': ({ credentialId }) => passwords.copyUsername(credentialId),
    'password:reveal': ({ credentialId }) => passwords.reveal(credentialId),
    'password:hide': ({ credentialId }) => {
      passwords.hide(credentialId);
      return undefined;
    },
    'audit:list': (filter) => audit.list(filter),
  };
}

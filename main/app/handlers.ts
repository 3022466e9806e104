import type { IpcHandlers } from '../ipc/router.ts';
import { AppError } from '../services/appError.ts';
import type { CheckoutActions } from '../services/checkoutActions.ts';
import type { PasswordAccess } from '../services/passwordAccess.ts';
import type { ServerCaller } from '../services/serverCalls.ts';
import type { SessionService } from '../services/sessionService.ts';
import type { SettingsService } from '../services/settingsService.ts';
import type { SyncService } from '../services/syncService.ts';

/** The IPC handler table: each entry calls one service method and nothing else. */
export function createHandlers(services: {
  session: SessionService;
  settings: SettingsService;
  sync: SyncService;
  checkouts: CheckoutActions;
  passwords: PasswordAccess;
  callServer: ServerCaller;
}): IpcHandlers {
  const { session, settings, sync, checkouts, passwords, callServer } = services;
  /** Cached data is shown only to a signed-in, unlocked user. */
  const unlocked = () => session.requireBackend();
  return {
    'session:getState': () => session.state(),
    'session:signIn': (args) => session.signIn(args),
    'session:signOut': () => session.signOut(),
    'session:lock': () => session.lock('user'),
    'session:unlock': ({ password }) => session.unlock(password),
    'settings:get': () => settings.get(),
    'settings:update': (patch) => settings.update(patch),
    'vaults:list': () => {
      unlocked();
      return sync.listVaults();
    },
    'credentials:list': (query) => {
      unlocked();
      return sync.listCredentials(query);
    },
    'credentials:get': async ({ id }) => {
      const credential = await callServer((backend) => backend.getCredential(id));
      // The fresh state (who holds it now) replaces the cached row, so the list shows it too.
      sync.remember(credential);
      return credential;
    },
    'credentials:approvers': ({ credentialId }) =>
      callServer((backend) => backend.listApprovers(credentialId)),
    'sync:now': () => sync.sync(),
    'checkouts:request': (input) => checkouts.request(input),
    'checkouts:mine': () => checkouts.mine(),
    'checkouts:history': () => checkouts.history(),
    'checkouts:extend': ({ id, minutes }) => checkouts.extend(id, minutes),
    'checkouts:checkIn': ({ id }) => checkouts.checkIn(id),
    'checkouts:cancel': ({ id }) => checkouts.cancel(id),
    'approvals:list': () => checkouts.toApprove(),
    'approvals:approve': ({ id, message }) => checkouts.decide(id, true, message),
    'approvals:deny': ({ id, message }) => checkouts.decide(id, false, message),
    'password:copy': ({ credentialId }) => passwords.copy(credentialId),
    'password:reveal': ({ credentialId }) => passwords.reveal(credentialId),
    'password:hide': ({ credentialId }) => {
      passwords.hide(credentialId);
      return undefined;
    },
    'audit:list': (filter) =>
      callServer((backend) => {
        if (!backend.listAudit) {
          throw new AppError(
            'unsupported',
            'audit_unsupported',
            'This server does not share its audit trail.',
          );
        }
        return backend.listAudit(filter);
      }),
  };
}

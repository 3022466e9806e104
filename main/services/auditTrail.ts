import type { AuditFilter } from '../../client/pamBackend.ts';
import type { AuditEntry } from '../../common/audit.ts';
import { AppError } from './appError.ts';
import type { ServerCaller } from './serverCalls.ts';

/** The server's audit trail, for admins; servers that do not share one (MIM) say so. */
export class AuditTrail {
  private readonly callServer: ServerCaller;

  constructor(deps: { callServer: ServerCaller }) {
    this.callServer = deps.callServer;
  }

  list(filter: AuditFilter): Promise<AuditEntry[]> {
    return this.callServer((backend) => {
      if (!backend.listAudit) {
        throw new AppError('unsupported', 'audit_unsupported', 'This server does not share its audit trail.');
      }
      return backend.listAudit(filter);
    });
  }
}

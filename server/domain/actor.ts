import type { Role } from '../../common/roles.ts';

/** The authenticated caller of a service method. */
export interface Actor {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
}

export const hasRole = (actor: Actor, role: Role) => actor.roles.includes(role);

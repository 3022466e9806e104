/** The server's audit trail (admins only), with filters; and the credential lookup its filter uses. */
import { create } from 'zustand';
import { api, type CoffreError, toCoffreError } from '../api.ts';
import type { AuditEntry, Credential } from '../domain.ts';

export interface AuditFilter {
  from?: string;
  to?: string;
  credentialId?: string;
  userId?: string;
}

export interface AuditState {
  entries: AuditEntry[];
  loaded: boolean;
  loading: boolean;
  error: CoffreError | null;
  filter: AuditFilter;
  /** Actors seen in unfiltered results: the choices of the user filter. */
  actors: Record<string, string>;
  credentialMatches: Credential[];
  /** Names (and vaults) of the credentials the loaded entries are about, for the Credential column. */
  credentialNames: Record<string, { name: string; vaultID: string }>;
}

export const initialState: AuditState = {
  entries: [],
  loaded: false,
  loading: false,
  error: null,
  filter: {},
  actors: {},
  credentialMatches: [],
  credentialNames: {},
};

export const useAuditStore = create<AuditState>()(() => ({ ...initialState }));
const set = useAuditStore.setState;

/** Shown at most; the filters narrow the rest. */
export const AUDIT_DISPLAY_LIMIT = 500;
let loadRun = 0;
let lookupRun = 0;

export const actions = {
  async load(filter: AuditFilter = useAuditStore.getState().filter): Promise<void> {
    const runId = ++loadRun;
    set({ loading: true, filter });
    try {
      const entries = await api.audit.list(filter);
      if (runId !== loadRun) return;
      set((state) => {
        const actors = { ...state.actors };
        for (const entry of entries)
          if (entry.actorID && entry.actorName) actors[entry.actorID] = entry.actorName;
        const newestFirst = [...entries].sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
        return { entries: newestFirst, loaded: true, loading: false, error: null, actors };
      });
      void actions.nameCredentials(entries);
    } catch (error) {
      if (runId !== loadRun) return;
      set({ loading: false, loaded: true, error: toCoffreError(error), entries: [] });
    }
  },

  /** Looks up the credentials not named yet (at most 200 a time; deleted ones stay unnamed). */
  async nameCredentials(entries: readonly AuditEntry[]): Promise<void> {
    const known = useAuditStore.getState().credentialNames;
    const missing = [...new Set(entries.map((entry) => entry.credentialID))]
      .filter((id): id is string => !!id && !known[id])
      .slice(0, 200);
    const found = await Promise.all(
      missing.map((id) =>
        api.credentials.get({ id }).then(
          (credential) => credential,
          () => null,
        ),
      ),
    );
    const names: AuditState['credentialNames'] = {};
    for (const credential of found) {
      if (credential) names[credential.id] = { name: credential.name, vaultID: credential.vaultID };
    }
    if (Object.keys(names).length > 0) {
      set((state) => ({ credentialNames: { ...state.credentialNames, ...names } }));
    }
  },

  async findCredentials(search: string): Promise<void> {
    const runId = ++lookupRun;
    if (!search.trim()) {
      set({ credentialMatches: [] });
      return;
    }
    try {
      const result = await api.credentials.list({ search: search.trim(), offset: 0, limit: 20 });
      if (runId === lookupRun) set({ credentialMatches: result.data });
    } catch {
      if (runId === lookupRun) set({ credentialMatches: [] });
    }
  },

  reset(): void {
    loadRun++;
    lookupRun++;
    set({ ...initialState });
  },
};

export const selectors = {
  entries: (state: AuditState) => state.entries,
  loaded: (state: AuditState) => state.loaded,
  loading: (state: AuditState) => state.loading,
  error: (state: AuditState) => state.error,
  filter: (state: AuditState) => state.filter,
  actors: (state: AuditState) => state.actors,
  credentialMatches: (state: AuditState) => state.credentialMatches,
  credentialNames: (state: AuditState) => state.credentialNames,
};

/** Requests waiting for this user's decision; live on `approvals.changed` (the count arrives with it). */
import { create } from 'zustand';
import { api } from '../api.ts';
import { type AppEvent, type Checkout, isPending } from '../domain.ts';
import { actions as toasts } from './toasts.ts';

export type Decision = 'approve' | 'deny';

export interface ApprovalsState {
  items: Checkout[];
  loaded: boolean;
  /** The pending count, as the last event or list said. */
  pending: number;
  busy: Record<string, Decision>;
  /** Ids that arrived live since the list was first loaded (shown highlighted, announced). */
  fresh: Record<string, true>;
}

export const initialState: ApprovalsState = { items: [], loaded: false, pending: 0, busy: {}, fresh: {} };

export const useApprovalsStore = create<ApprovalsState>()(() => ({ ...initialState }));
const set = useApprovalsStore.setState;
const get = useApprovalsStore.getState;

let loadRun = 0;

function setBusy(id: string, decision: Decision | null): void {
  set((state) => {
    const { [id]: _previous, ...busy } = state.busy;
    return { busy: decision ? { ...busy, [id]: decision } : busy };
  });
}

async function decide(
  id: string,
  decision: Decision,
  message: string | undefined,
  duration?: number,
): Promise<Checkout | null> {
  setBusy(id, decision);
  const trimmed = message?.trim();
  const args = { id, ...(trimmed ? { message: trimmed } : {}) };
  try {
    const checkout = await (decision === 'approve'
      ? api.approvals.approve({ ...args, ...(duration !== undefined ? { duration } : {}) })
      : api.approvals.deny(args));
    set((state) => {
      const items = state.items.filter((item) => item.id !== id);
      return { items, pending: items.filter(isPending).length };
    });
    toasts.success(decision === 'approve' ? 'approvals.approvedToast' : 'approvals.deniedToast', {
      name: checkout.username,
      credential: checkout.credentialName,
    });
    return checkout;
  } catch (error) {
    toasts.error(error);
    // Often "already decided": the list shows what happened.
    void actions.load();
    return null;
  } finally {
    setBusy(id, null);
  }
}

export const actions = {
  async load(): Promise<void> {
    const runId = ++loadRun;
    try {
      const items = await api.approvals.list();
      if (runId !== loadRun) return;
      set((state) => {
        const fresh: Record<string, true> = {};
        if (state.loaded) {
          const known = new Set(state.items.map((item) => item.id));
          for (const item of items) if (!known.has(item.id) || state.fresh[item.id]) fresh[item.id] = true;
        }
        return { items, loaded: true, pending: items.filter(isPending).length, fresh };
      });
    } catch (error) {
      if (runId !== loadRun) return;
      // A user who approves nothing may be refused the list: that is an empty queue, not an error.
      if ((error as { kind?: string }).kind === 'forbidden') set({ items: [], loaded: true, pending: 0 });
      else toasts.error(error);
    }
  },

  /** `duration`: the minutes granted, when the approver shortens the request. */
  approve(id: string, message?: string, duration?: number): Promise<Checkout | null> {
    return decide(id, 'approve', message, duration);
  },

  deny(id: string, message?: string): Promise<Checkout | null> {
    return decide(id, 'deny', message);
  },

  handleEvent(event: AppEvent): void {
    if (event.type !== 'approvals.changed') return;
    set({ pending: event.pending });
    void actions.load();
  },

  /** The user saw the new arrivals (left the screen). */
  markSeen(): void {
    if (Object.keys(get().fresh).length > 0) set({ fresh: {} });
  },

  reset(): void {
    loadRun++;
    set({ ...initialState });
  },
};

const byRequestTime = (a: Checkout, b: Checkout) => a.requestDateTime.localeCompare(b.requestDateTime);

export const selectors = {
  /** Oldest first: the queue is worked in arrival order. */
  items: (state: ApprovalsState) => state.items.filter(isPending).sort(byRequestTime),
  loaded: (state: ApprovalsState) => state.loaded,
  count: (state: ApprovalsState) => state.pending,
  busy: (id: string) => (state: ApprovalsState) => state.busy[id] ?? null,
  isFresh: (id: string) => (state: ApprovalsState) => state.fresh[id] === true,
};

/**
 * The user's checkouts: open ones (pending, active) and history. Live: `checkouts.changed` reloads.
 * The main process announces that event only when the user's checkouts really changed, so the
 * reload it triggers cannot trigger another.
 */
import { create } from 'zustand';
import { api, toCoffreError } from '../api.ts';
import { type AppEvent, type Checkout, isActive, isPending, type RequestCheckoutInput } from '../domain.ts';
import { formatClock } from '../format.ts';
import { actions as settings } from './settings.ts';
import { actions as toasts } from './toasts.ts';

export type CheckoutAction = 'cancel' | 'checkIn' | 'extend';

export interface CheckoutsState {
  mine: Checkout[];
  mineLoaded: boolean;
  history: Checkout[];
  historyLoaded: boolean;
  busy: Record<string, CheckoutAction>;
  requesting: boolean;
}

export const initialState: CheckoutsState = {
  mine: [],
  mineLoaded: false,
  history: [],
  historyLoaded: false,
  busy: {},
  requesting: false,
};

export const useCheckoutsStore = create<CheckoutsState>()(() => ({ ...initialState }));
const set = useCheckoutsStore.setState;
const get = useCheckoutsStore.getState;

let mineRun = 0;
let historyRun = 0;

function setBusy(id: string, action: CheckoutAction | null): void {
  set((state) => {
    const { [id]: _previous, ...busy } = state.busy;
    return { busy: action ? { ...busy, [id]: action } : busy };
  });
}

/** Applies the answer of an action at once; the reload that follows confirms it. */
function upsert(checkout: Checkout): void {
  set((state) => ({
    mine:
      isPending(checkout) || isActive(checkout)
        ? [...state.mine.filter((c) => c.id !== checkout.id), checkout]
        : state.mine.filter((c) => c.id !== checkout.id),
  }));
}

async function act(
  id: string,
  action: CheckoutAction,
  call: () => Promise<Checkout>,
): Promise<Checkout | null> {
  setBusy(id, action);
  try {
    const checkout = await call();
    upsert(checkout);
    if (get().historyLoaded) void actions.loadHistory();
    return checkout;
  } catch (error) {
    toasts.error(error);
    return null;
  } finally {
    setBusy(id, null);
  }
}

export const actions = {
  async loadMine(): Promise<void> {
    const runId = ++mineRun;
    try {
      const mine = await api.checkouts.mine();
      if (runId === mineRun) set({ mine, mineLoaded: true });
    } catch (error) {
      if (runId === mineRun) toasts.error(error);
    }
  },

  async loadHistory(): Promise<void> {
    const runId = ++historyRun;
    try {
      const history = await api.checkouts.history();
      if (runId === historyRun) set({ history, historyLoaded: true });
    } catch (error) {
      if (runId === historyRun) toasts.error(error);
    }
  },

  /** Throws a CoffreError so the dialog can show it next to the fields. */
  async request(input: RequestCheckoutInput) {
    set({ requesting: true });
    try {
      const result = await api.checkouts.request(input);
      upsert(result.checkout);
      set({ requesting: false });
      // The main process put it first of the recently used credentials.
      void settings.refresh();
      return result;
    } catch (error) {
      set({ requesting: false });
      throw toCoffreError(error);
    }
  },

  cancel(id: string): Promise<Checkout | null> {
    return act(id, 'cancel', () => api.checkouts.cancel({ id }));
  },

  checkIn(id: string): Promise<Checkout | null> {
    return act(id, 'checkIn', () => api.checkouts.checkIn({ id }));
  },

  extend(id: string, minutes: number): Promise<Checkout | null> {
    return act(id, 'extend', () => api.checkouts.extend({ id, minutes }));
  },

  handleEvent(event: AppEvent): void {
    if (event.type === 'expiry.warning') {
      toasts.push({
        tone: 'info',
        key: 'checkouts.expiryWarning',
        values: { credential: event.credentialName, time: formatClock(event.expiresAt) },
      });
      return;
    }
    if (event.type !== 'checkouts.changed') return;
    void actions.loadMine();
    if (get().historyLoaded) void actions.loadHistory();
  },

  reset(): void {
    mineRun++;
    historyRun++;
    set({ ...initialState });
  },
};

const byRequestTime = (a: Checkout, b: Checkout) => a.requestDateTime.localeCompare(b.requestDateTime);

export const selectors = {
  mine: (state: CheckoutsState) => state.mine,
  mineLoaded: (state: CheckoutsState) => state.mineLoaded,
  pending: (state: CheckoutsState) => state.mine.filter(isPending).sort(byRequestTime),
  active: (state: CheckoutsState) => state.mine.filter(isActive).sort(byRequestTime),
  history: (state: CheckoutsState) => state.history,
  historyLoaded: (state: CheckoutsState) => state.historyLoaded,
  busy: (id: string) => (state: CheckoutsState) => state.busy[id] ?? null,
  requesting: (state: CheckoutsState) => state.requesting,
  byId: (id: string | null) => (state: CheckoutsState) => state.mine.find((checkout) => checkout.id === id),
};

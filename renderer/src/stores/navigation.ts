/** Which screen is shown and which item on it is selected; `navigate` events come from notifications and the tray. */
import { create } from 'zustand';
import type { AppEvent } from '../domain.ts';

export const ROUTES = ['credentials', 'checkouts', 'approvals', 'history', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

export interface NavigationState {
  route: Route;
  /** The item to show and focus (a checkout id on My checkouts and Approvals). */
  selectedId: string | null;
  /** Bumped on every navigate, so a screen refocuses even when the route is unchanged. */
  seq: number;
}

export const initialState: NavigationState = { route: 'credentials', selectedId: null, seq: 0 };

export const useNavigationStore = create<NavigationState>()(() => ({ ...initialState }));

export const actions = {
  navigate(route: Route, selectedId: string | null = null): void {
    useNavigationStore.setState((state) => ({ route, selectedId, seq: state.seq + 1 }));
  },

  select(selectedId: string | null): void {
    useNavigationStore.setState({ selectedId });
  },

  handleEvent(event: AppEvent): void {
    if (event.type === 'navigate' && (ROUTES as readonly string[]).includes(event.route)) {
      actions.navigate(event.route, event.id ?? null);
    }
  },

  reset(): void {
    useNavigationStore.setState({ ...initialState });
  },
};

export const selectors = {
  route: (state: NavigationState) => state.route,
  selectedId: (state: NavigationState) => state.selectedId,
  seq: (state: NavigationState) => state.seq,
};

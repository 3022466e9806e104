/** Small hooks shared by the screens. */
import { useMemo } from 'react';
import { type Checkout, openCheckoutsByCredential } from './domain.ts';
import type { Lang } from './format.ts';
import { selectors as checkoutSelectors, useCheckoutsStore } from './stores/checkouts.ts';
import { selectors as settingsSelectors, useSettingsStore } from './stores/settings.ts';

/** The language in use, for the formatting helpers. */
export function useLang(): Lang {
  return useSettingsStore(settingsSelectors.language);
}

/** The user's open checkouts by credential id; null until `checkouts:mine` answered once. */
export function useMineByCredential(): ReadonlyMap<string, Checkout> | null {
  const mine = useCheckoutsStore(checkoutSelectors.mine);
  const loaded = useCheckoutsStore(checkoutSelectors.mineLoaded);
  return useMemo(() => (loaded ? openCheckoutsByCredential(mine) : null), [mine, loaded]);
}

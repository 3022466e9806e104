/**
 * The settings' choices and bounds, without zod: the renderer bundle imports these constants
 * without loading the schemas of ipc.ts, which states its schemas with them (one source).
 */

export const LANGUAGES = ['system', 'en', 'fr'] as const;
export const THEMES = ['system', 'light', 'dark'] as const;

/** Inclusive bounds of the numeric settings. */
export const SETTINGS_BOUNDS = {
  /** Seconds before a copied password is cleared from the clipboard. */
  clipboardClearSeconds: { min: 5, max: 600 },
  /** Minutes of inactivity before the app locks; 0 = never. */
  autoLockMinutes: { min: 0, max: 480 },
  /** Seconds a revealed password stays on screen. */
  revealSeconds: { min: 5, max: 120 },
} as const;

/** Minutes a checkout may be extended by at once. */
export const EXTEND_BOUNDS = { min: 1, max: 1440 } as const;

/** How many credentials may be starred, and how many recently used ones are kept. */
export const MAX_FAVOURITES = 500;
export const MAX_RECENT = 8;

/** What a credential is for the signed-in user (the list's status filter; credentialState.ts). */
export const CREDENTIAL_STATES = ['available', 'mine', 'pending', 'taken'] as const;
export type CredentialStateKind = (typeof CREDENTIAL_STATES)[number];
/** The credential list's orders. */
export const CREDENTIAL_SORTS = ['name', 'vault'] as const;
export type CredentialSort = (typeof CREDENTIAL_SORTS)[number];

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

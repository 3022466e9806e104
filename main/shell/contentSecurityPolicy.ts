/**
 * The renderer's Content Security Policy, sent as a header on every app:// response (appProtocol).
 *
 * Everything the renderer runs or shows comes from the app's own origin; it talks to the main
 * process over IPC only, so it needs no network origin at all. No 'unsafe-eval', no 'unsafe-inline':
 * Vite's production build emits script and style files, and React's `style={...}` goes through the
 * CSSOM, which CSP does not restrict. `data:` images cover inline SVG/PNG icons.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'media-src': ["'none'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'child-src': ["'none'"],
  'worker-src': ["'self'"],
  'manifest-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export function buildContentSecurityPolicy(
  directives: Readonly<Record<string, readonly string[]>> = CSP_DIRECTIVES,
): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

export const CONTENT_SECURITY_POLICY = buildContentSecurityPolicy();

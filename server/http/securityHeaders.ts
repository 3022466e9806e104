/** On every answer of the API: no MIME sniffing, no referrer leak, never framed. */
export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "frame-ancestors 'none'",
} as const;

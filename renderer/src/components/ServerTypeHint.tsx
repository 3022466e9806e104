/**
 * The sign-in screen's "Server type", detected from the server where it can be: the main process
 * asks the address which API answers (`server:probe`), and the line under the choice says what it
 * found, or why it could not tell and what each choice is for.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import type { ServerProbeResult } from '../domain.ts';
import type { TranslationKey } from '../i18n/index.ts';

/** Typing pauses this long before the server is asked. */
export const PROBE_DELAY_MS = 400;

export interface ServerDetection {
  url: string;
  /** Null while the server is being asked. */
  result: ServerProbeResult | null;
}

/** What the server at `url` answers; null for no (valid) address, or when the question failed. */
export function useServerDetection(url: string, valid: boolean): ServerDetection | null {
  const [detection, setDetection] = useState<ServerDetection | null>(null);
  useEffect(() => {
    if (!valid) {
      setDetection(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      setDetection({ url, result: null });
      api.server.probe({ url }).then(
        (result) => current && setDetection({ url, result }),
        () => current && setDetection(null),
      );
    }, PROBE_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [url, valid]);
  return detection;
}

function hintKey(detection: ServerDetection | null): TranslationKey {
  if (!detection) return 'signIn.dialectHintNoAddress';
  const { result } = detection;
  if (!result) return 'signIn.dialectHintProbing';
  if (result.dialects.length > 1) return 'signIn.dialectHintBoth';
  if (result.dialects[0] === 'checkout') return 'signIn.dialectHintCheckout';
  if (result.dialects[0] === 'mim') return 'signIn.dialectHintMim';
  if (result.failure === 'unreachable') return 'signIn.dialectHintUnreachable';
  if (result.failure === 'tls') return 'signIn.dialectHintTls';
  return 'signIn.dialectHintNeither';
}

export function ServerTypeHint({ id, detection }: { id: string; detection: ServerDetection | null }) {
  const { t } = useTranslation();
  const key = hintKey(detection);
  return (
    <p
      id={id}
      className="field-hint"
      aria-live="polite"
      data-testid="signin-dialect-hint"
      data-detected={detection?.result?.dialects.join(',') ?? ''}
    >
      {t(key)}
    </p>
  );
}

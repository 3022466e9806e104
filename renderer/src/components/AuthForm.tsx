/**
 * What the sign-in and unlock screens share: the centred branded card, the password field and the
 * error block that words a failure in terms a person can act on (the server's message as detail).
 */
import type { ReactNode, RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { CoffreError } from '../api.ts';
import type { TranslationKey } from '../i18n/index.ts';

/** Devolutions Server's sign-in refusals (client/dvlsSignIn.ts codes), each with what to do about it. */
const DVLS_SIGN_IN_KEYS: Partial<Record<string, TranslationKey>> = {
  dvls_wrong_password: 'signIn.errorCredentials',
  dvls_locked: 'signIn.errorLocked',
  dvls_disabled: 'signIn.errorDisabled',
  dvls_license: 'signIn.errorLicense',
  dvls_two_factor: 'signIn.errorTwoFactor',
  session_key_lost: 'signIn.errorSessionKeyLost',
};

/**
 * Sign-in (and unlock) failures in words a person can act on; the server's own message follows.
 * `integrated`: the Windows sign-in was refused, where no username or password was typed.
 */
export function signInErrorKey(error: CoffreError, integrated = false): TranslationKey {
  const dvls = DVLS_SIGN_IN_KEYS[error.code];
  if (dvls) return dvls;
  if (integrated && error.kind === 'unauthorized') return 'signIn.errorWindowsSignIn';
  switch (error.kind) {
    case 'unauthorized':
      return 'signIn.errorCredentials';
    case 'network':
    case 'timeout':
      return 'signIn.errorUnreachable';
    case 'tls':
      return 'signIn.errorTls';
    case 'throttled':
      return 'signIn.errorThrottled';
    case 'invalid':
      return 'signIn.errorInvalid';
    case 'protocol':
    case 'unsupported':
      return 'signIn.errorProtocol';
    default:
      return 'signIn.errorOther';
  }
}

/** A page outside the frame: the card with the brand, then the screen's own content. */
export function AuthCard({ pageClassName, children }: { pageClassName?: string; children: ReactNode }) {
  return (
    <main className={pageClassName ? `centered-page ${pageClassName}` : 'centered-page'}>
      <div className="card signin-card">
        <div className="brand large">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Coffre</span>
        </div>
        {children}
      </div>
    </main>
  );
}

export interface PasswordFieldProps {
  id: string;
  inputRef: RefObject<HTMLInputElement | null>;
  value: string;
  onChange: (value: string) => void;
  /** Shows "enter your password" and marks the field invalid. */
  missing: boolean;
  testId: string;
  /** Point at the error line even while it is empty (unlock: it is the field's only help). */
  describedWhileValid?: boolean;
}

export function PasswordField({
  id,
  inputRef,
  value,
  onChange,
  missing,
  testId,
  describedWhileValid = false,
}: PasswordFieldProps) {
  const { t } = useTranslation();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{t('signIn.password')}</label>
      <input
        id={id}
        ref={inputRef}
        className="input"
        type="password"
        autoComplete="current-password"
        value={value}
        aria-invalid={missing ? true : undefined}
        aria-describedby={missing || describedWhileValid ? errorId : undefined}
        data-testid={testId}
        onChange={(event) => onChange(event.target.value)}
      />
      <p id={errorId} className="field-error">
        {missing ? t('signIn.errorPassword') : null}
      </p>
    </div>
  );
}

/** The failure of the last attempt, announced; `url` fills the unreachable-server sentence. */
export function AuthError({
  error,
  testId,
  url,
  integrated = false,
}: {
  error: CoffreError | null;
  testId: string;
  url?: string;
  /** The attempt was a Windows sign-in (no password typed). */
  integrated?: boolean;
}) {
  const { t } = useTranslation();
  const key = error ? signInErrorKey(error, integrated) : null;
  return (
    <div className="form-error" role="alert" data-testid={testId} data-kind={error?.kind}>
      {error ? (
        <>
          <strong>{key && (url === undefined ? t(key) : t(key, { url }))}</strong>
          {error.message ? <span className="detail">{error.message}</span> : null}
        </>
      ) : null}
    </div>
  );
}

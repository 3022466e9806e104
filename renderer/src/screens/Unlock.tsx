import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthCard, AuthError, PasswordField } from '../components/AuthForm.tsx';
import { actions as session, selectors as sessionSelectors, useSessionStore } from '../stores/session.ts';

export function Unlock() {
  const { t } = useTranslation();
  const user = useSessionStore(sessionSelectors.user);
  const profile = useSessionStore(sessionSelectors.profile);
  const unlocking = useSessionStore(sessionSelectors.unlocking);
  const error = useSessionStore(sessionSelectors.unlockError);
  /** A Windows sign-in has no password to type: unlocking runs that sign-in again. */
  const integrated = profile?.signIn === 'integrated';
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => (integrated ? submitRef : ref).current?.focus(), [integrated]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (unlocking) return;
    if (integrated) {
      await session.unlock();
      submitRef.current?.focus();
      return;
    }
    if (!password) {
      setMissing(true);
      ref.current?.focus();
      return;
    }
    setMissing(false);
    const ok = await session.unlock(password);
    setPassword('');
    if (!ok) ref.current?.focus();
  };

  return (
    <AuthCard>
      <h1>{t('unlock.title')}</h1>
      <p className="muted">
        {t(integrated ? 'unlock.bodyWindows' : 'unlock.body', {
          name: user?.displayName ?? user?.username ?? '',
          server: profile?.name ?? '',
        })}
      </p>
      <form
        onSubmit={(event) => void submit(event)}
        noValidate
        data-testid="unlock-form"
        className="unlock-form"
      >
        {integrated ? null : (
          <>
            {/* For password managers: which account this password is for. */}
            <input type="text" hidden readOnly autoComplete="username" value={user?.username ?? ''} />
            <PasswordField
              id={id}
              inputRef={ref}
              value={password}
              onChange={setPassword}
              missing={missing}
              testId="unlock-password"
              describedWhileValid
            />
          </>
        )}
        <AuthError error={error} testId="unlock-error" integrated={integrated} />
        <div className="form-actions">
          <button
            type="submit"
            ref={submitRef}
            className="button primary"
            disabled={unlocking}
            data-testid="unlock-submit"
          >
            {unlocking ? t('unlock.submitting') : t(integrated ? 'unlock.submitWindows' : 'unlock.submit')}
          </button>
          <button type="button" className="button ghost" onClick={() => void session.signOut()}>
            {t('unlock.signOutInstead')}
          </button>
        </div>
      </form>
    </AuthCard>
  );
}

import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { actions as session, selectors as sessionSelectors, useSessionStore } from '../stores/session.ts';
import { signInErrorKey } from './SignIn.tsx';

export function Unlock() {
  const { t } = useTranslation();
  const user = useSessionStore(sessionSelectors.user);
  const profile = useSessionStore(sessionSelectors.profile);
  const unlocking = useSessionStore(sessionSelectors.unlocking);
  const error = useSessionStore(sessionSelectors.unlockError);
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => ref.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (unlocking) return;
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
    <main className="centered-page">
      <div className="card signin-card">
        <div className="brand large">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Coffre</span>
        </div>
        <h1>{t('unlock.title')}</h1>
        <p className="muted">
          {t('unlock.body', { name: user?.displayName ?? user?.username ?? '', server: profile?.name ?? '' })}
        </p>
        <form
          onSubmit={(event) => void submit(event)}
          noValidate
          data-testid="unlock-form"
          className="unlock-form"
        >
          {/* For password managers: which account this password is for. */}
          <input type="text" hidden readOnly autoComplete="username" value={user?.username ?? ''} />
          <div className="field">
            <label htmlFor={id}>{t('signIn.password')}</label>
            <input
              id={id}
              ref={ref}
              className="input"
              type="password"
              autoComplete="current-password"
              value={password}
              aria-invalid={missing ? true : undefined}
              aria-describedby={`${id}-error`}
              data-testid="unlock-password"
              onChange={(event) => setPassword(event.target.value)}
            />
            <p id={`${id}-error`} className="field-error">
              {missing ? t('signIn.errorPassword') : null}
            </p>
          </div>
          <div className="form-error" role="alert" data-testid="unlock-error">
            {error ? (
              <>
                <strong>{t(signInErrorKey(error))}</strong>
                {error.message ? <span className="detail">{error.message}</span> : null}
              </>
            ) : null}
          </div>
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={unlocking} data-testid="unlock-submit">
              {unlocking ? t('unlock.submitting') : t('unlock.submit')}
            </button>
            <button type="button" className="button ghost" onClick={() => void session.signOut()}>
              {t('unlock.signOutInstead')}
            </button>
          </div>
        </form>
      </div>
    </main>
  );
}

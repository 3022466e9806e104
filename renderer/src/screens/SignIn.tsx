import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthCard, AuthError, PasswordField } from '../components/AuthForm.tsx';
import { ServerTypeHint, useServerDetection } from '../components/ServerTypeHint.tsx';
import { StorageNotice } from '../components/StorageNotice.tsx';
import type { ServerProfile } from '../domain.ts';
import { type FailoverParse, isServerUrl, MAX_FAILOVER_URLS, parseFailoverUrls } from '../serverUrls.ts';
import { actions as session, selectors as sessionSelectors, useSessionStore } from '../stores/session.ts';
import { selectors as settingsSelectors, useSettingsStore } from '../stores/settings.ts';

type Dialect = ServerProfile['dialect'];
const NEW_PROFILE = '';
/** The demo server's accounts share one password (server/demo.ts); shown only when the app runs it. */
const DEMO_PASSWORD = 'coffre-demo';

function newProfileId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `p-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

const validUrl = isServerUrl;

export function SignIn() {
  const { t } = useTranslation();
  const profiles = useSettingsStore(settingsSelectors.profiles);
  const lastProfileId = useSettingsStore(settingsSelectors.lastProfileId);
  const demoServerUrl = useSessionStore(sessionSelectors.demoServerUrl);
  const signingIn = useSessionStore(sessionSelectors.signingIn);
  const error = useSessionStore(sessionSelectors.signInError);
  const ids = useId();

  const [profileId, setProfileId] = useState<string>(NEW_PROFILE);
  const [url, setUrl] = useState('');
  const [dialect, setDialect] = useState<Dialect>('checkout');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  /** MIM behind IIS: the OS's Windows sign-in instead of a username and password. */
  const [windowsSignIn, setWindowsSignIn] = useState(false);
  const integrated = dialect === 'mim' && windowsSignIn;
  const [urlInvalid, setUrlInvalid] = useState(false);
  /** Other nodes of the same server, as typed (issue 16). */
  const [failoverText, setFailoverText] = useState('');
  const [failoverProblem, setFailoverProblem] = useState<FailoverParse | null>(null);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const failoverRef = useRef<HTMLTextAreaElement>(null);
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const urlRef = useRef<HTMLInputElement>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const prefilled = useRef(false);

  // "Server type" follows what the server answers, until the user picks one for this address.
  const dialectChosen = useRef(false);
  const detection = useServerDetection(url.trim(), validUrl(url.trim()));
  useEffect(() => {
    const only = detection?.result?.dialects;
    if (only?.length === 1 && only[0] && !dialectChosen.current) setDialect(only[0]);
  }, [detection]);

  const choose = useCallback((profile: ServerProfile | undefined) => {
    setProfileId(profile?.id ?? NEW_PROFILE);
    setUrl(profile?.url ?? '');
    setDialect(profile?.dialect ?? 'checkout');
    setUsername(profile?.username ?? '');
    setWindowsSignIn(profile?.signIn === 'integrated');
    setUrlInvalid(false);
    setFailoverText(profile?.failoverUrls?.join('\n') ?? '');
    setFailoverProblem(null);
    if (profile?.failoverUrls?.length) setAdvancedOpen(true);
  }, []);

  // The last server used, or the demo server when it is the only one there is.
  useEffect(() => {
    if (prefilled.current) return;
    const last = profiles.find((profile) => profile.id === lastProfileId);
    if (last) {
      prefilled.current = true;
      choose(last);
      requestAnimationFrame(() => (last.username ? passwordRef : usernameRef).current?.focus());
    } else if (demoServerUrl && profiles.length === 0) {
      prefilled.current = true;
      setUrl(demoServerUrl);
    }
  }, [profiles, lastProfileId, demoServerUrl, choose]);

  useEffect(() => () => session.clearSignInError(), []);

  const useDemo = () => {
    const demo = profiles.find((profile) => profile.url === demoServerUrl);
    if (demo) choose(demo);
    else {
      setProfileId(NEW_PROFILE);
      setUrl(demoServerUrl ?? '');
      setDialect('checkout');
    }
    setUrlInvalid(false);
    usernameRef.current?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (signingIn) return;
    const trimmedUrl = url.trim();
    const badUrl = !validUrl(trimmedUrl);
    const gaps = integrated ? {} : { username: !username.trim(), password: !password };
    const failover = parseFailoverUrls(failoverText, trimmedUrl);
    setUrlInvalid(badUrl);
    setMissing(gaps);
    setFailoverProblem(failover.ok ? null : failover);
    if (badUrl) return urlRef.current?.focus();
    if (!failover.ok) {
      setAdvancedOpen(true);
      return requestAnimationFrame(() => failoverRef.current?.focus());
    }
    if (gaps.username) return usernameRef.current?.focus();
    if (gaps.password) return passwordRef.current?.focus();

    const existing =
      profiles.find(
        (profile) => profile.id === profileId && profile.url === trimmedUrl && profile.dialect === dialect,
      ) ?? profiles.find((profile) => profile.url === trimmedUrl && profile.dialect === dialect);
    const chosen: ServerProfile = existing
      ? { ...existing }
      : {
          id: newProfileId(),
          name: trimmedUrl === demoServerUrl ? t('signIn.demoProfileName') : new URL(trimmedUrl).host,
          url: trimmedUrl,
          dialect,
        };
    const { signIn: _previous, failoverUrls: _before, ...rest } = chosen;
    const nodes = failover.urls.length > 0 ? { ...rest, failoverUrls: failover.urls } : rest;
    // A MIM server sits behind IIS, which takes the username and password as HTTP Basic (Coffre's
    // token sign-in is Coffre's own), or the Windows sign-in.
    const profile: ServerProfile =
      dialect === 'mim' ? { ...nodes, signIn: integrated ? 'integrated' : 'basic' } : nodes;
    const ok = integrated
      ? await session.signIn({ profile, username: '', password: '' })
      : await session.signIn({ profile, username: username.trim(), password });
    // The password leaves the form either way; on failure the user types it again.
    setPassword('');
    if (!ok) requestAnimationFrame(() => passwordRef.current?.focus());
  };

  const demoInUse = Boolean(demoServerUrl) && url.trim() === demoServerUrl;

  return (
    <AuthCard pageClassName="signin-page">
      <h1 tabIndex={-1}>{t('signIn.title')}</h1>
      <StorageNotice />
      {demoServerUrl ? (
        <div className="demo-offer">
          <button
            type="button"
            className={`button${demoInUse ? '' : ' primary'}`}
            aria-pressed={demoInUse}
            data-testid="use-demo-server"
            onClick={useDemo}
          >
            {t('signIn.useDemo')}
          </button>
          <p className="muted small">{t('signIn.demoHint', { password: DEMO_PASSWORD })}</p>
        </div>
      ) : null}
      <form onSubmit={(event) => void submit(event)} noValidate data-testid="signin-form">
        {profiles.length > 0 ? (
          <div className="field">
            <label htmlFor={`${ids}-profile`}>{t('signIn.profile')}</label>
            <select
              id={`${ids}-profile`}
              className="input"
              value={profileId}
              data-testid="signin-profile"
              onChange={(event) => choose(profiles.find((profile) => profile.id === event.target.value))}
            >
              {profiles.map((profile) => (
                <option key={profile.id} value={profile.id}>
                  {profile.name}
                </option>
              ))}
              <option value={NEW_PROFILE}>{t('signIn.newProfile')}</option>
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${ids}-url`}>{t('signIn.url')}</label>
          <input
            id={`${ids}-url`}
            ref={urlRef}
            className="input"
            type="url"
            inputMode="url"
            autoComplete="url"
            spellCheck={false}
            placeholder="https://pam.example.com"
            value={url}
            aria-invalid={urlInvalid ? true : undefined}
            aria-describedby={urlInvalid ? `${ids}-url-error` : undefined}
            data-testid="signin-url"
            onChange={(event) => {
              dialectChosen.current = false;
              setUrl(event.target.value);
            }}
          />
          <p id={`${ids}-url-error`} className="field-error">
            {urlInvalid ? t('signIn.errorUrl') : null}
          </p>
        </div>
        <details
          className="signin-advanced"
          open={advancedOpen}
          onToggle={(event) => setAdvancedOpen(event.currentTarget.open)}
        >
          <summary data-testid="signin-advanced">{t('signIn.advanced')}</summary>
          <div className="field">
            <label htmlFor={`${ids}-failover`}>{t('signIn.failoverUrls')}</label>
            <textarea
              id={`${ids}-failover`}
              ref={failoverRef}
              className="input"
              rows={3}
              spellCheck={false}
              autoCapitalize="none"
              placeholder={'https://pam2.example.com\nhttps://pam3.example.com'}
              value={failoverText}
              aria-invalid={failoverProblem ? true : undefined}
              aria-describedby={`${ids}-failover-hint ${ids}-failover-error`}
              data-testid="signin-failover"
              onChange={(event) => setFailoverText(event.target.value)}
            />
            <p id={`${ids}-failover-hint`} className="field-hint">
              {t('signIn.failoverHint')}
            </p>
            <p id={`${ids}-failover-error`} className="field-error">
              {failoverProblem && !failoverProblem.ok
                ? failoverProblem.problem === 'invalid'
                  ? t('signIn.errorFailoverUrl', { value: failoverProblem.value })
                  : t('signIn.errorFailoverTooMany', { max: MAX_FAILOVER_URLS })
                : null}
            </p>
          </div>
        </details>
        <div className="field">
          <label htmlFor={`${ids}-dialect`}>{t('signIn.dialect')}</label>
          <select
            id={`${ids}-dialect`}
            className="input"
            value={dialect}
            aria-describedby={`${ids}-dialect-hint`}
            data-testid="signin-dialect"
            onChange={(event) => {
              dialectChosen.current = true;
              setDialect(event.target.value as Dialect);
            }}
          >
            <option value="checkout">{t('signIn.dialectCheckout')}</option>
            <option value="mim">{t('signIn.dialectMim')}</option>
          </select>
          <ServerTypeHint id={`${ids}-dialect-hint`} detection={detection} />
        </div>
        {dialect === 'mim' ? (
          <div className="field checkbox-field">
            <label>
              <input
                type="checkbox"
                checked={windowsSignIn}
                data-testid="signin-windows"
                onChange={(event) => setWindowsSignIn(event.target.checked)}
              />{' '}
              {t('signIn.windowsSignIn')}
            </label>
            <p className="muted small" data-testid="signin-mim-hint">
              {t(windowsSignIn ? 'signIn.windowsSignInHint' : 'signIn.basicSignInHint')}
            </p>
          </div>
        ) : null}
        <div className="field" hidden={integrated}>
          <label htmlFor={`${ids}-username`}>{t('signIn.username')}</label>
          <input
            id={`${ids}-username`}
            ref={usernameRef}
            className="input"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            aria-invalid={missing.username ? true : undefined}
            aria-describedby={missing.username ? `${ids}-username-error` : undefined}
            data-testid="signin-username"
            onChange={(event) => setUsername(event.target.value)}
          />
          <p id={`${ids}-username-error`} className="field-error">
            {missing.username ? t('signIn.errorUsername') : null}
          </p>
        </div>
        {integrated ? null : (
          <PasswordField
            id={`${ids}-password`}
            inputRef={passwordRef}
            value={password}
            onChange={setPassword}
            missing={Boolean(missing.password)}
            testId="signin-password"
          />
        )}
        <AuthError error={error} testId="signin-error" url={url.trim()} integrated={integrated} />
        <button
          type="submit"
          className="button primary wide"
          disabled={signingIn}
          data-testid="signin-submit"
        >
          {signingIn ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
    </AuthCard>
  );
}

import { useTranslation } from 'react-i18next';
import { selectors, type Toast, actions as toasts, useToastsStore } from '../stores/toasts.ts';

/**
 * Two live regions that exist from the start (so additions are announced): errors assertively,
 * confirmations politely. A toast stays while hovered or focused.
 */
export function Toasts() {
  const { t } = useTranslation();
  const items = useToastsStore(selectors.toasts);
  return (
    <section className="toasts" aria-label={t('toast.region')}>
      <div className="toast-stack" aria-live="assertive" aria-atomic="false">
        {items
          .filter((toast) => toast.tone === 'error')
          .map((toast) => (
            <ToastItem key={toast.id} toast={toast} />
          ))}
      </div>
      <div className="toast-stack" aria-live="polite" aria-atomic="false">
        {items
          .filter((toast) => toast.tone !== 'error')
          .map((toast) => (
            <ToastItem key={toast.id} toast={toast} />
          ))}
      </div>
    </section>
  );
}

function ToastItem({ toast }: { toast: Toast }) {
  const { t } = useTranslation();
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: hovering only pauses the dismissal timer.
    <div
      className={`toast toast-${toast.tone}`}
      data-testid="toast"
      data-tone={toast.tone}
      data-code={toast.errorCode}
      onMouseEnter={() => toasts.hold(toast.id)}
      onMouseLeave={() => toasts.release(toast.id)}
      onFocus={() => toasts.hold(toast.id)}
      onBlur={() => toasts.release(toast.id)}
    >
      <div className="toast-body">
        <p className="toast-title">{t(toast.key, toast.values ?? {})}</p>
        {toast.detail ? <p className="toast-detail">{toast.detail}</p> : null}
      </div>
      <button
        type="button"
        className="icon-button"
        aria-label={t('toast.dismiss')}
        onClick={() => toasts.dismiss(toast.id)}
      >
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

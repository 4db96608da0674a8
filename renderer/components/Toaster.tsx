import { useToasts, type Toast } from '../stores/toasts';
import { IconButton } from './IconButton';
import { IconCheck, IconClose, IconError, IconInfo } from './Icons';

function ToastItem({ t, onDismiss }: { t: Toast; onDismiss(): void }) {
  const icon = t.kind === 'success' ? <IconCheck /> : t.kind === 'error' ? <IconError /> : <IconInfo />;
  const body = t.error ? [t.error.message, t.error.hint].filter(Boolean).join(' ') : t.message;
  return (
    <div className="toast" data-kind={t.kind} role={t.kind === 'error' ? 'alert' : 'status'}>
      <span className="toast-icon">{icon}</span>
      <div className="toast-body">
        <div className="toast-title">{t.title}</div>
        {body && <div className="toast-message">{body}</div>}
        {t.error && <code className="error-code">{t.error.code}</code>}
      </div>
      <IconButton label="Dismiss notification" icon={<IconClose />} size="sm" onClick={onDismiss} />
    </div>
  );
}

/** Renders the notifications of the toasts store (use `notify.success/error` to add one). */
export function Toaster() {
  const items = useToasts((s) => s.items);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <section className="toaster" aria-label="Notifications">
      {items.map((t) => (
        <ToastItem key={t.id} t={t} onDismiss={() => dismiss(t.id)} />
      ))}
    </section>
  );
}

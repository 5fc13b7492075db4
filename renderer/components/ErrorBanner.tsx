import type { AppErrorShape } from '../../shared/errors';
import { Icon } from './Icon';

/** A failure as users see it everywhere: what happened, in bold, then what to do. */
export function ErrorBanner({ error, tone = 'error', title, onDismiss }: { error: Pick<AppErrorShape, 'message' | 'remedy'>; tone?: 'error' | 'warning'; title?: string; onDismiss?(): void }) {
  return (
    <div className={`banner banner-${tone}`} role="alert">
      <Icon name="warning" />
      <div>
        <strong>{title ?? error.message}</strong>
        {title && <p>{error.message}</p>}
        {error.remedy && <p>{error.remedy}</p>}
      </div>
      {onDismiss && (
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          <Icon name="close" size={16} />
        </button>
      )}
    </div>
  );
}

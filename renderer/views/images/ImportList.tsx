import type { ImportState } from '../../store/images-slice';
import { ErrorBanner } from '../../components/ErrorBanner';

function stageText(item: ImportState, hostLabel: string): string {
  if (item.stage === 'copying') return 'reading it in';
  if (item.stage === 'uploading') return `uploading to ${hostLabel}`;
  return item.note ? `installed (${item.note})` : 'installed';
}

/** Imports under way or just finished: progress and Cancel while uploading, the reason when refused. */
export function ImportList({ imports, hostLabel, onCancel }: { imports: [string, ImportState][]; hostLabel: string; onCancel(transferId: string): void }) {
  return (
    <>
      {imports.map(([id, item]) =>
        item.stage === 'failed' && item.error ? (
          <div key={id} role="status" aria-label={`Import of ${item.name}`}>
            <ErrorBanner title={`${item.name} was not imported.`} error={item.error} />
          </div>
        ) : (
          <div key={id} className="progress-row card" role="status" aria-label={`Import of ${item.name}`}>
            <span className="small">
              {item.name}: {stageText(item, hostLabel)}
            </span>
            {(item.stage === 'copying' || item.stage === 'uploading') && <progress value={item.sent} max={Math.max(item.total, 1)} aria-label={`${item.name} progress`} />}
            {item.stage === 'uploading' && (
              <button type="button" className="button button-small" onClick={() => onCancel(id)}>
                Cancel
              </button>
            )}
          </div>
        ),
      )}
    </>
  );
}

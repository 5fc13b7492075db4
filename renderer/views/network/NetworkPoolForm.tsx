import { useState } from 'react';
import type { FormEvent } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { useAppStore } from '../../store/context';

/**
 * The address pool of the hosts' VM networks. Before saving, the connected hosts are asked
 * whether the pool overlaps one of their routes; a pool that does is refused here (and by the
 * backend at each VM start, for hosts connected later).
 */
export function NetworkPoolForm({ pool }: { pool: string }) {
  const saving = useAppStore((s) => s.settings.saving);
  const fieldErrors = useAppStore((s) => s.settings.fieldErrors);
  const save = useAppStore((s) => s.settings.save);
  const checkPool = useAppStore((s) => s.network.checkPool);
  const [value, setValue] = useState(pool);
  const [problem, setProblem] = useState<string>();
  const [checking, setChecking] = useState(false);
  const [saved, setSaved] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(undefined);
    setProblem(undefined);
    setChecking(true);
    const check = await checkPool(value.trim());
    setChecking(false);
    if ('error' in check) return setProblem(check.error.message);
    if (check.invalid) return setProblem(check.invalid);
    if (check.conflicts.length > 0) {
      return setProblem(`${check.pool} overlaps routes of ${check.conflicts.map((c) => `${c.label} (${c.routes.join(', ')})`).join('; ')}. Choose a range those hosts do not use.`);
    }
    if (await save({ networkPool: check.pool })) setSaved(`Pool in use: ${check.capacity} microVM networks per host. New VM networks use it; running ones keep their addresses.`);
  }

  return (
    <form className="card" aria-labelledby="network-pool" onSubmit={(event) => void submit(event)} noValidate>
      <h2 id="network-pool">Network</h2>
      <Field
        label="Address pool for microVM networks"
        hint={`Each microVM with a network takes a /30 of it on its host (the host reaches the VM at the block’s .2). A private range no host routes; default 10.231.0.0/16.`}
        error={problem ?? fieldErrors.networkPool}
      >
        <input
          value={value}
          onChange={(event) => {
            setSaved(undefined);
            setValue(event.target.value);
          }}
          spellCheck={false}
          className="mono"
        />
      </Field>
      {problem === undefined && fieldErrors.networkPool === undefined ? null : <ErrorBanner tone="warning" error={{ message: 'The pool was not saved.' }} />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving || checking}>
          {checking ? 'Asking the hosts…' : saving ? 'Storing…' : 'Use this pool'}
        </button>
        {saved && (
          <span className="saved" role="status">
            {saved}
          </span>
        )}
      </div>
    </form>
  );
}

import { useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { VmSummary } from '../../../shared/channels/vms';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { useDraft } from '../../components/use-draft';
import { useAppStore } from '../../store/context';
import { selectHostList } from '../../store/hosts-slice';
import { BootSteps } from './BootSteps';
import { emptyVmDraft, offeredImages, requestFromDraft } from './vm-draft';
import { VmImageFields } from './VmImageFields';
import { VmNetworkFields } from './VmNetworkFields';

export function CreateVmDialog({ onClose, onCreated }: { onClose(): void; onCreated(vm: VmSummary): void }) {
  const hosts = useAppStore(useShallow((s) => selectHostList(s).filter((h) => h.connection.state === 'connected')));
  const { create, loadImages } = useAppStore(useShallow((s) => ({ create: s.vms.create, loadImages: s.images.loadInstalled })));
  const firstHost = hosts[0]?.id ?? '';
  // Follows the first connected host until the user touches the form.
  const draft = useDraft(useMemo(() => emptyVmDraft(firstHost), [firstHost]));
  const { hostId } = draft.value;
  const images = useAppStore((s) => (hostId ? s.images.installed[hostId] : undefined));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (hostId) void loadImages(hostId);
  }, [hostId, loadImages]);
  const { kernels, rootfses } = offeredImages(images);
  const rootfs = draft.value.rootfs || rootfses[0]?.path || '';
  const chosen = { kernel: draft.value.kernel || kernels[0]?.path || '', rootfs, rootfsBytes: rootfses.find((r) => r.path === rootfs)?.sizeBytes };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const request = requestFromDraft(draft.value, chosen);
    if (!request.ok) return setErrors(request.errors);
    setBusy(true);
    setFormError(undefined);
    const result = await create(request.input);
    setBusy(false);
    if (result.ok) return onCreated(result.vm);
    setErrors(result.fieldErrors);
    setFormError(Object.keys(result.fieldErrors).length > 0 ? undefined : result.message);
  }

  const text = (field: 'id' | 'name' | 'vcpus' | 'memory', props: Record<string, unknown> = {}) => (
    <input value={draft.value[field]} onChange={(event) => draft.set(field, event.target.value)} {...props} />
  );
  const footer = (
    <>
      <button type="button" className="button" onClick={onClose}>
        Cancel
      </button>
      <button type="submit" form="vm-form" className="button button-primary" disabled={busy || hosts.length === 0}>
        {busy ? 'Booting…' : 'Create and boot'}
      </button>
    </>
  );
  return (
    <Dialog title="New microVM" wide onClose={onClose} footer={footer}>
      {hosts.length === 0 ? (
        <p>Connect to a host first (Hosts view); microVMs run there.</p>
      ) : (
        <form id="vm-form" className="form-grid" onSubmit={(event) => void submit(event)} noValidate>
          {formError && <ErrorBanner title="The microVM was not created." error={{ message: formError }} />}
          <Field label="Host" error={errors.hostId}>
            <select value={hostId} onChange={(event) => draft.set('hostId', event.target.value)}>
              {hosts.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.label} ({h.probe?.arch ?? 'unknown arch'})
                </option>
              ))}
            </select>
          </Field>
          <div className="field-row">
            <Field label="Id" hint="Letters, digits and -; also the name on the host." error={errors.id}>
              {text('id', { spellCheck: false, placeholder: 'sandbox-1' })}
            </Field>
            <Field label="vCPUs" error={errors.vcpus}>
              {text('vcpus', { inputMode: 'numeric' })}
            </Field>
          </div>
          <div className="field-row">
            <Field label="Name (optional)" error={errors.name}>
              {text('name')}
            </Field>
            <Field label="Memory (MiB)" error={errors.memoryMib}>
              {text('memory', { inputMode: 'numeric' })}
            </Field>
          </div>
          <VmImageFields
            images={images}
            kernel={chosen.kernel}
            rootfs={chosen.rootfs}
            disk={draft.value.disk}
            errors={errors}
            onKernel={(path) => draft.set('kernel', path)}
            onRootfs={(path) => draft.set('rootfs', path)}
            onDisk={(mib) => draft.set('disk', mib)}
          />
          <VmNetworkFields draft={draft} errors={errors} />
          {busy && <BootSteps />}
        </form>
      )}
    </Dialog>
  );
}

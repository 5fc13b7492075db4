import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { VmSummary } from '../../../shared/channels/vms';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { useAppStore } from '../../store/context';
import { selectHostList } from '../../store/hosts-slice';
import { ErrorBanner } from '../../components/ErrorBanner';

export function CreateVmDialog({ onClose, onCreated }: { onClose(): void; onCreated(vm: VmSummary): void }) {
  const hosts = useAppStore(useShallow((s) => selectHostList(s).filter((h) => h.connection.state === 'connected')));
  const { create, loadImages } = useAppStore(useShallow((s) => ({ create: s.vms.create, loadImages: s.images.loadInstalled })));
  const steps = useAppStore((s) => s.vms.steps);
  const [hostId, setHostId] = useState(hosts[0]?.id ?? '');
  const images = useAppStore((s) => (hostId ? s.images.installed[hostId] : undefined));
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [vcpus, setVcpus] = useState('1');
  const [memory, setMemory] = useState('256');
  const [kernel, setKernel] = useState('');
  const [rootfs, setRootfs] = useState('');
  const [tap, setTap] = useState('');
  const [mac, setMac] = useState('');
  const [mmds, setMmds] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (hostId) void loadImages(hostId);
  }, [hostId, loadImages]);
  const kernels = images?.images.filter((i) => i.kind === 'kernel') ?? [];
  const rootfses = images?.images.filter((i) => i.kind === 'rootfs') ?? [];
  const chosenKernel = kernel || kernels[0]?.path || '';
  const chosenRootfs = rootfs || rootfses[0]?.path || '';

  async function submit(event: FormEvent) {
    event.preventDefault();
    let metadata: Record<string, unknown> | undefined;
    if (mmds.trim()) {
      try {
        metadata = JSON.parse(mmds) as Record<string, unknown>;
      } catch {
        return setErrors({ mmds: 'The metadata must be a JSON object, e.g. {"role": "ci"}.' });
      }
    }
    setBusy(true);
    setFormError(undefined);
    const result = await create({
      hostId,
      id,
      ...(name.trim() ? { name } : {}),
      vcpus: Number(vcpus),
      memoryMib: Number(memory),
      kernel: chosenKernel,
      rootfs: chosenRootfs,
      ...(tap.trim() ? { network: { tap: tap.trim(), mac: mac.trim() || randomMac() } } : {}),
      ...(metadata ? { mmds: metadata } : {}),
    });
    setBusy(false);
    if (result.ok) return onCreated(result.vm);
    setErrors(result.fieldErrors);
    setFormError(Object.keys(result.fieldErrors).length > 0 ? undefined : result.message);
  }

  return (
    <Dialog
      title="New microVM"
      wide
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="vm-form" className="button button-primary" disabled={busy || hosts.length === 0}>
            {busy ? 'Booting…' : 'Create and boot'}
          </button>
        </>
      }
    >
      {hosts.length === 0 ? (
        <p>Connect to a host first (Hosts view); microVMs run there.</p>
      ) : (
        <form id="vm-form" className="form-grid" onSubmit={(event) => void submit(event)} noValidate>
          {formError && <ErrorBanner title="The microVM was not created." error={{ message: formError }} />}
          <Field label="Host" error={errors.hostId}>
            <select value={hostId} onChange={(event) => setHostId(event.target.value)}>
              {hosts.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.label} ({h.probe?.arch ?? 'unknown arch'})
                </option>
              ))}
            </select>
          </Field>
          <div className="field-row">
            <Field label="Id" hint="Letters, digits and -; also the name on the host." error={errors.id}>
              <input value={id} onChange={(event) => setId(event.target.value)} spellCheck={false} placeholder="sandbox-1" />
            </Field>
            <Field label="vCPUs" error={errors.vcpus}>
              <input value={vcpus} onChange={(event) => setVcpus(event.target.value)} inputMode="numeric" />
            </Field>
          </div>
          <div className="field-row">
            <Field label="Name (optional)" error={errors.name}>
              <input value={name} onChange={(event) => setName(event.target.value)} />
            </Field>
            <Field label="Memory (MiB)" error={errors.memoryMib}>
              <input value={memory} onChange={(event) => setMemory(event.target.value)} inputMode="numeric" />
            </Field>
          </div>
          <Field label="Kernel" hint={images ? `Only ${images.arch} kernels from ${images.dir}.` : 'Loading the host’s images…'} error={errors.kernel}>
            <select value={chosenKernel} onChange={(event) => setKernel(event.target.value)}>
              {kernels.length === 0 && <option value="">No kernel installed — run the host setup wizard</option>}
              {kernels.map((k) => (
                <option key={k.path} value={k.path}>
                  {k.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Root filesystem" error={errors.rootfs}>
            <select value={chosenRootfs} onChange={(event) => setRootfs(event.target.value)}>
              {rootfses.length === 0 && <option value="">No root filesystem installed</option>}
              {rootfses.map((r) => (
                <option key={r.path} value={r.path}>
                  {r.name}
                </option>
              ))}
            </select>
          </Field>
          <details className="advanced">
            <summary>Network and metadata (optional)</summary>
            <div className="field-row">
              <Field label="Tap device" hint="Created with sudo on the host when missing." error={errors['network.tap']}>
                <input value={tap} onChange={(event) => setTap(event.target.value)} spellCheck={false} placeholder="fc-tap0" />
              </Field>
              <Field label="MAC" hint="Empty: a random local one." error={errors['network.mac']}>
                <input value={mac} onChange={(event) => setMac(event.target.value)} spellCheck={false} placeholder="06:00:ac:10:00:02" />
              </Field>
            </div>
            <Field label="MMDS metadata (JSON)" hint="Served to the guest at 169.254.169.254; needs the network interface." error={errors.mmds}>
              <textarea value={mmds} onChange={(event) => setMmds(event.target.value)} spellCheck={false} rows={3} />
            </Field>
          </details>
          {busy && steps.length > 0 && (
            <ol className="step-list" aria-label="Boot steps">
              {steps.map((s) => (
                <li key={s.step} className={`step-${s.status}`}>
                  <code>{s.step}</code> {s.status}
                </li>
              ))}
            </ol>
          )}
        </form>
      )}
    </Dialog>
  );
}

/** A locally administered unicast MAC (first octet 06), as Firecracker's examples use. */
function randomMac(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  return ['06', ...[...bytes].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { HostSummary } from '../../shared/channels/hosts';
import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { useAppStore } from '../store/context';
import { HostDetails } from './hosts/HostDetails';
import { HostFormDialog } from './hosts/HostFormDialog';
import { HostKeyDialog } from './hosts/HostKeyDialog';
import { HostList } from './hosts/HostList';
import { SecretDialog } from './hosts/SecretDialog';

type Form = { mode: 'add' } | { mode: 'edit'; host: HostSummary } | null;

export function HostsView() {
  const count = useAppStore((s) => Object.keys(s.hosts.byId).length);
  const loaded = useAppStore((s) => s.hosts.loaded);
  const selected = useAppStore((s) => (s.hosts.selectedId ? s.hosts.byId[s.hosts.selectedId] : undefined));
  const prompt = useAppStore((s) => s.hosts.prompt);
  const promptHost = useAppStore((s) => (s.hosts.prompt ? s.hosts.byId[s.hosts.prompt.hostId] : undefined));
  const { connect, trustKey, dismissPrompt, select } = useAppStore(
    useShallow((s) => ({ connect: s.hosts.connect, trustKey: s.hosts.trustKey, dismissPrompt: s.hosts.dismissPrompt, select: s.hosts.select })),
  );
  const [form, setForm] = useState<Form>(null);

  const addButton = (
    <button type="button" className="button button-primary" onClick={() => setForm({ mode: 'add' })}>
      Add host
    </button>
  );

  return (
    <>
      {selected ? (
        <HostDetails host={selected} onEdit={() => setForm({ mode: 'edit', host: selected })} />
      ) : (
        <>
          <PageHeader title="Hosts" description="Linux servers you reach over SSH. Firecracker runs there, never on this computer." actions={count > 0 ? addButton : undefined} />
          {count > 0 ? (
            <HostList />
          ) : (
            loaded && (
              <EmptyState icon="hosts" title="No hosts yet">
                <p>
                  A host is a Linux machine with KVM: bare metal, or a cloud VM with nested virtualization. Firedeck connects to it over SSH, checks its host
                  key, its architecture and <code>/dev/kvm</code>, and installs Firecracker for you.
                </p>
                <ol className="steps">
                  <li>
                    <strong>Have a Linux server ready</strong> (x86_64 or aarch64) that you can log in to with <code>ssh</code>.
                  </li>
                  <li>
                    <strong>Make sure KVM works there:</strong> <code>ls -l /dev/kvm</code> should show the device, and your user should be in the{' '}
                    <code>kvm</code> group.
                  </li>
                  <li>
                    <strong>Add it here</strong> by its address and SSH user. A Lima VM on an Apple Silicon Mac will not do: it has no usable KVM.
                  </li>
                </ol>
                {addButton}
              </EmptyState>
            )
          )}
        </>
      )}

      {form && (
        <HostFormDialog
          host={form.mode === 'edit' ? form.host : undefined}
          onClose={() => setForm(null)}
          onSaved={(host) => {
            setForm(null);
            if (form.mode === 'add') {
              select(host.id);
              void connect(host.id);
            }
          }}
        />
      )}
      {prompt?.kind === 'host-key' && (
        <HostKeyDialog error={prompt.error} onClose={dismissPrompt} onTrust={(fingerprint, replace) => void trustKey(prompt.hostId, fingerprint, replace)} />
      )}
      {prompt?.kind === 'secret' && promptHost && (
        <SecretDialog host={promptHost} error={prompt.error} onClose={dismissPrompt} onSubmit={(value, remember) => void connect(prompt.hostId, { value, remember })} />
      )}
    </>
  );
}

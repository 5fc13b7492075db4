import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/Icon';
import { useAppStore } from '../../store/context';
import { notConnectedReason, selectUnlistedHosts } from '../../store/vms-slice';

/**
 * The hosts whose microVMs the list cannot show, because they are not connected, each with a
 * Connect action: an empty list must not read as "no microVMs" while VMs run on such a host.
 */
export function UnlistedHosts() {
  const hosts = useAppStore(useShallow(selectUnlistedHosts));
  const busy = useAppStore((s) => s.hosts.busy);
  const connect = useAppStore((s) => s.hosts.connect);
  const navigate = useAppStore((s) => s.ui.navigate);
  const prompted = useAppStore((s) => s.hosts.prompt?.hostId);
  const [asked, setAsked] = useState<string>();

  // A host key to check or a password to type is asked on the Hosts view.
  useEffect(() => {
    if (asked && prompted === asked) navigate('hosts');
  }, [asked, prompted, navigate]);

  if (hosts.length === 0) return null;
  return (
    <section className="banner banner-warning unlisted-hosts" aria-label="Hosts not connected">
      <Icon name="warning" />
      <div>
        <strong>{hosts.length === 1 ? '1 host is not connected: its microVMs are not listed.' : `${hosts.length} hosts are not connected: their microVMs are not listed.`}</strong>
        <ul>
          {hosts.map((host) => (
            <li key={host.id} aria-label={host.label}>
              <span>
                <b>{host.label}</b>: {notConnectedReason(host)}
              </span>
              <button
                type="button"
                className="button button-small"
                disabled={!!busy[host.id]}
                onClick={() => {
                  setAsked(host.id);
                  void connect(host.id);
                }}
              >
                {busy[host.id] ? 'Connecting…' : `Connect ${host.label}`}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

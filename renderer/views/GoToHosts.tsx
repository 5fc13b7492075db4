import { Icon } from '../components/Icon';
import { useAppStore } from '../store/context';

/** The next step for a new user on any view that needs a host first. */
export function GoToHosts({ label = 'Go to Hosts' }: { label?: string }) {
  const navigate = useAppStore((s) => s.ui.navigate);
  return (
    <button type="button" className="button button-primary" onClick={() => navigate('hosts')}>
      {label}
      <Icon name="arrow" size={16} />
    </button>
  );
}

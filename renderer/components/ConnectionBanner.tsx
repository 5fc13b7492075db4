import { useAppStore } from '../store/context';
import { connectionBanner } from '../store/connection-slice';
import { Icon } from './Icon';

export function ConnectionBanner() {
  const status = useAppStore((s) => s.connection.status);
  const banner = connectionBanner(status);
  if (!banner) return null;
  return (
    <div className={`banner banner-${banner.tone}`} role="alert">
      <Icon name="warning" />
      <div>
        <strong>{banner.title}</strong>
        <p>{banner.body}</p>
      </div>
    </div>
  );
}

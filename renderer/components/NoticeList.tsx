import { useAppStore } from '../store/context';
import { Icon } from './Icon';

export function NoticeList() {
  const notices = useAppStore((s) => s.app.notices);
  const dismiss = useAppStore((s) => s.app.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((notice) => (
        <div key={notice.id} className={`banner banner-${notice.level === 'info' ? 'info' : notice.level}`} role="status">
          <Icon name={notice.level === 'info' ? 'info' : 'warning'} />
          <div>
            <strong>{notice.message}</strong>
            {notice.remedy && <p>{notice.remedy}</p>}
          </div>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => void dismiss(notice.id).catch(() => {})}>
            <Icon name="close" size={16} />
          </button>
        </div>
      ))}
    </div>
  );
}

import type { AppInfo } from '../../shared/channels/app.js';
import type { HandlersFor } from '../router.js';
import type { NoticeBoard } from './notices.js';

export function createAppRoutes(deps: {
  info: Omit<AppInfo, 'notices'>;
  notices: NoticeBoard;
}): HandlersFor<'app.getInfo' | 'app.dismissNotice'> {
  return {
    'app.getInfo': () => ({ ...deps.info, notices: deps.notices.list() }),
    'app.dismissNotice': ({ id }) => ({ dismissed: deps.notices.dismiss(id) }),
  };
}

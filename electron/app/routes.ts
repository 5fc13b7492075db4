import type { AppInfo } from '../../shared/channels/app.js';
import type { appChannels } from '../../shared/channels/app.js';
import type { RoutesOf } from '../router.js';
import type { NoticeBoard } from './notices.js';

export function createAppRoutes(deps: {
  info: Omit<AppInfo, 'notices'>;
  notices: NoticeBoard;
}): RoutesOf<typeof appChannels> {
  return {
    'app.getInfo': () => ({ ...deps.info, notices: deps.notices.list() }),
    'app.dismissNotice': ({ id }) => ({ dismissed: deps.notices.dismiss(id) }),
  };
}

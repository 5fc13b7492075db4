import { randomUUID } from 'node:crypto';
import type { Notice } from '../../shared/channels/app.js';
import type { EventBus } from '../event-bus.js';

/** Messages for the user that are not the answer to a request (e.g. a recovered data file). */
export interface NoticeBoard {
  list(): Notice[];
  raise(notice: Omit<Notice, 'id'>): Notice;
  dismiss(id: string): boolean;
}

export function createNoticeBoard(events: EventBus): NoticeBoard {
  const notices = new Map<string, Notice>();
  return {
    list: () => [...notices.values()],
    raise(fields) {
      const notice: Notice = { id: randomUUID(), ...fields };
      notices.set(notice.id, notice);
      events.emit('app.noticeRaised', notice);
      return notice;
    },
    dismiss: (id) => notices.delete(id),
  };
}

import { isAppUrl } from '../security.js';

/** What Electron tells us about the frame behind an IPC message. */
export interface SenderFrame {
  url: string;
  /** True when the frame has no parent. */
  isMainFrame: boolean;
}

/**
 * IPC is answered only for our own top-level page: a sub-frame or a page from any other origin
 * (should one ever load despite the navigation rules) gets nothing. VS Code's validatedIpcMain
 * applies the same test.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  return frame != null && frame.isMainFrame && isAppUrl(frame.url);
}

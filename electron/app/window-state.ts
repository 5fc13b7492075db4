import { z } from 'zod';
import { createJsonStore } from '../store/json-store.js';
import type { JsonStore } from '../store/json-store.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const windowStateSchema = z.object({
  bounds: z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive() }),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof windowStateSchema>;

/** Where the window was when it last closed (window-state.json), to open it there again. */
export function createWindowStateStore(dataDir: string): JsonStore<WindowState | null> {
  return createJsonStore<WindowState | null>({ dir: dataDir, name: 'window-state.json', schemaVersion: 1, schema: windowStateSchema.nullable(), defaults: () => null });
}

/**
 * The saved bounds if the window would still be reachable (its title bar on one of today's
 * displays, e.g. after an external monitor was unplugged), else null to let the system place it.
 */
export function restorableBounds(saved: Rect | undefined, workAreas: Rect[], minimum: { width: number; height: number }): Rect | null {
  if (!saved) return null;
  const titleBar = { x: saved.x + 40, y: saved.y + 10 };
  const visible = workAreas.some((a) => titleBar.x >= a.x && titleBar.x < a.x + a.width && titleBar.y >= a.y && titleBar.y < a.y + a.height);
  if (!visible) return null;
  return { ...saved, width: Math.max(saved.width, minimum.width), height: Math.max(saved.height, minimum.height) };
}

import { UPLOAD_CHUNK_BYTES } from '../../shared/limits';
import type { FiredeckApi } from '../api';

/**
 * Copies a file picked or dropped in the window into a workspace, in chunks small enough for
 * the bridge; the file appears under its name only once complete.
 */
export async function uploadToWorkspace(api: FiredeckApi, workspaceId: string, path: string, file: File, onProgress: (sent: number) => void): Promise<void> {
  const uploadId = crypto.randomUUID();
  for (let offset = 0; offset === 0 || offset < file.size; offset += UPLOAD_CHUNK_BYTES) {
    const chunk = file.slice(offset, offset + UPLOAD_CHUNK_BYTES);
    const done = offset + UPLOAD_CHUNK_BYTES >= file.size;
    await api.invoke('workspaces.uploadChunk', { workspaceId, uploadId, path, offset, data: await toBase64(chunk), done });
    onProgress(Math.min(offset + chunk.size, file.size));
  }
}

function toBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(blob);
  });
}

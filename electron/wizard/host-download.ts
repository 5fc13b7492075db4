import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError } from '../app-error.js';
import { pushFile } from '../workspaces/push-file.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { shq } from '../ssh/shell-quote.js';

/** curl exit codes that mean "this host cannot reach that server" (not "the server said no"). */
const UNREACHABLE = new Set([5, 6, 7, 28, 35, 45, 52, 56]);

export interface DownloadReport {
  commands: string[];
  via: 'host' | 'upload';
}

/**
 * Puts `url` at `remoteRelative` (relative to the host's home) for a setup step. The host
 * downloads it itself when it can reach the server; otherwise this computer downloads it and
 * uploads it over SFTP (checked by SHA-256 on arrival). Either way, only a complete file ends
 * up under the name.
 */
export async function downloadToHost(options: {
  connection: HostConnection;
  url: string;
  remoteRelative: string;
  fetch: typeof fetch;
  signal: AbortSignal;
  onCommand(command: string): void;
  onProgress(done: number, total: number): void;
}): Promise<DownloadReport> {
  const { connection, url, remoteRelative } = options;
  const part = `$HOME/${remoteRelative}.part`;
  const final = `$HOME/${remoteRelative}`;
  const quoted = (path: string) => `"$HOME"/${shq(path.slice('$HOME/'.length))}`;
  const command = [
    `mkdir -p -- "$(dirname -- ${quoted(final)})"`,
    `rm -f -- ${quoted(part)}`,
    `curl -fsSL --connect-timeout 10 --retry 1 -o ${quoted(part)} ${shq(url)} && mv -f -- ${quoted(part)} ${quoted(final)}`,
  ].join('\n');
  options.onCommand(command);
  const onHost = await connection.exec(`${command}\nstatus=$?\nrm -f -- ${quoted(part)}\nexit $status`, { timeoutMs: 30 * 60_000, signal: options.signal });
  if (onHost.exitCode === 0) return { commands: [command], via: 'host' };
  if (onHost.exitCode === 22) {
    throw new AppError('DOWNLOAD_FAILED', `The server refused ${url} (it answered with an HTTP error).`, { remedy: 'Check the URL settings (release and image catalog) and the version.' });
  }
  if (!UNREACHABLE.has(onHost.exitCode) && onHost.exitCode !== 127) {
    throw new AppError('DOWNLOAD_FAILED', `The host could not download ${url} (curl exit ${onHost.exitCode}).`, { remedy: 'Check free disk space on the host, then run the setup again.' });
  }

  // The host cannot reach the server (or has no curl): fetch here, then upload.
  options.onCommand(`# the host cannot reach ${new URL(url).host}: downloading on this computer and uploading over SFTP`);
  const dir = await mkdtemp(join(tmpdir(), 'firedeck-download-'));
  try {
    const local = join(dir, 'payload');
    const response = await options.fetch(url, { signal: options.signal }).catch((error: unknown) => {
      throw new AppError('DOWNLOAD_FAILED', `Neither the host nor this computer could download ${url}: ${(error as Error).message}.`, {
        remedy: 'Check the URL settings and your network connection.',
        cause: error,
      });
    });
    if (!response.ok || !response.body) throw new AppError('DOWNLOAD_FAILED', `The server answered ${url} with HTTP ${response.status}.`, { remedy: 'Check the URL settings and the version.' });
    const total = Number(response.headers.get('content-length') ?? 0);
    let done = 0;
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      done += chunk.length;
      options.onProgress(done, total * 2 || done);
    });
    await pipeline(body, createWriteStream(local), { signal: options.signal });
    await pushFile(connection, {
      localPath: local,
      size: done,
      remoteRelative,
      transferId: randomUUID(),
      signal: options.signal,
      onProgress: (sent) => options.onProgress(done + sent, done * 2),
    });
    return { commands: [command], via: 'upload' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

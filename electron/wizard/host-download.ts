import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import hostDownloadSource from '../host-scripts/host-download.sh';
import { AppError } from '../app-error.js';
import { hostScript } from '../ssh/host-script.js';
import { pushFile } from '../transfers/push-file.js';
import type { SetupContext } from './setup-context.js';
import { runStepScript } from './setup-context.js';

const hostDownload = hostScript({
  name: 'host-download',
  source: hostDownloadSource,
  what: 'Downloading on the host',
  outcomes: { 10: 'unreachable', 20: 'unreachable', 21: 'failed', 22: 'refused' },
});

/**
 * Puts `url` at `remoteRelative` (relative to the host's home) for a setup step. The host
 * downloads it itself when it can reach the server; otherwise this computer downloads it and
 * uploads it (checked by SHA-256 on arrival, as a transfer that the run's cancel stops). Either
 * way, only a complete file ends up under the name. Returns how it got there.
 */
export async function downloadToHost(ctx: SetupContext, url: string, remoteRelative: string): Promise<'host' | 'upload'> {
  const onHost = await runStepScript(ctx, hostDownload, [url, remoteRelative], { timeoutMs: 30 * 60_000 });
  if (onHost.outcome === 'ok') return 'host';
  if (onHost.outcome === 'refused') {
    throw new AppError('DOWNLOAD_FAILED', `The server refused ${url} (it answered with an HTTP error).`, { remedy: 'Check the URL settings (release and image catalog) and the version.' });
  }
  if (onHost.outcome === 'failed') {
    throw new AppError('DOWNLOAD_FAILED', `The host could not download ${url} (${onHost.output.trim() || 'curl failed'}).`, { remedy: 'Check free disk space on the host, then run the setup again.' });
  }

  // The host cannot reach the server (or has no curl): fetch here, then upload.
  ctx.command(`# the host cannot reach ${new URL(url).host}: downloading on this computer and uploading`);
  const dir = await mkdtemp(join(tmpdir(), 'firedeck-download-'));
  try {
    const local = join(dir, 'payload');
    const response = await ctx.fetch(url, { signal: ctx.signal }).catch((error: unknown) => {
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
      ctx.progress(done, total * 2 || done);
    });
    await pipeline(body, createWriteStream(local), { signal: ctx.signal });
    const transferId = randomUUID();
    const pushed = await ctx.transfers.run(
      transferId,
      ({ signal, progress }) =>
        pushFile(ctx.connection, {
          localPath: local,
          size: done,
          remoteRelative,
          transferId,
          signal,
          onProgress: (sent, size) => {
            progress(sent, size);
            ctx.progress(done + sent, done * 2);
          },
        }),
      { signal: ctx.signal },
    );
    if (pushed.sftpProblem) ctx.command(`# ${pushed.sftpProblem} The file went through an SSH exec channel instead (SHA-256 checked).`);
    return 'upload';
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

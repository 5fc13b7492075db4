import { Client } from 'undici';
import type { Dispatcher } from 'undici';
import type { Duplex } from 'node:stream';
import { AppError } from '../app-error.js';
import type {
  ActionType,
  Balloon,
  BalloonStats,
  BootSource,
  Drive,
  EntropyDevice,
  FullVmConfiguration,
  InstanceInfo,
  Logger,
  MachineConfig,
  Metrics,
  MmdsConfig,
  NetworkInterface,
  PartialDrive,
  PartialNetworkInterface,
  SnapshotCreateParams,
  SnapshotLoadParams,
  Vsock,
} from './api-types.js';

/** Opens one byte stream to the VM's API socket (through SSH, socat, or locally). */
export type ApiConnector = () => Promise<Duplex>;

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * One typed method per endpoint of the Firecracker API, over one keep-alive connection per VM
 * socket. A Firecracker error becomes an AppError `FIRECRACKER_API_ERROR` whose message is
 * Firecracker's own `fault_message`.
 */
export interface FirecrackerClient {
  describeInstance(o?: CallOptions): Promise<InstanceInfo>;
  getVersion(o?: CallOptions): Promise<{ firecracker_version: string }>;
  getVmConfig(o?: CallOptions): Promise<FullVmConfiguration>;
  getMachineConfig(o?: CallOptions): Promise<MachineConfig>;
  putMachineConfig(body: MachineConfig, o?: CallOptions): Promise<void>;
  patchMachineConfig(body: Partial<MachineConfig>, o?: CallOptions): Promise<void>;
  putBootSource(body: BootSource, o?: CallOptions): Promise<void>;
  putDrive(body: Drive, o?: CallOptions): Promise<void>;
  patchDrive(body: PartialDrive, o?: CallOptions): Promise<void>;
  putNetworkInterface(body: NetworkInterface, o?: CallOptions): Promise<void>;
  patchNetworkInterface(body: PartialNetworkInterface, o?: CallOptions): Promise<void>;
  putCpuConfig(body: Record<string, unknown>, o?: CallOptions): Promise<void>;
  putLogger(body: Logger, o?: CallOptions): Promise<void>;
  putMetrics(body: Metrics, o?: CallOptions): Promise<void>;
  getMmds(o?: CallOptions): Promise<unknown>;
  putMmds(body: unknown, o?: CallOptions): Promise<void>;
  patchMmds(body: unknown, o?: CallOptions): Promise<void>;
  putMmdsConfig(body: MmdsConfig, o?: CallOptions): Promise<void>;
  putEntropy(body: EntropyDevice, o?: CallOptions): Promise<void>;
  putVsock(body: Vsock, o?: CallOptions): Promise<void>;
  getBalloon(o?: CallOptions): Promise<Balloon>;
  putBalloon(body: Balloon, o?: CallOptions): Promise<void>;
  patchBalloon(body: { amount_mib: number }, o?: CallOptions): Promise<void>;
  getBalloonStatistics(o?: CallOptions): Promise<BalloonStats>;
  patchBalloonStatistics(body: { stats_polling_interval_s: number }, o?: CallOptions): Promise<void>;
  action(actionType: ActionType, o?: CallOptions): Promise<void>;
  patchVm(state: 'Paused' | 'Resumed', o?: CallOptions): Promise<void>;
  createSnapshot(body: SnapshotCreateParams, o?: CallOptions): Promise<void>;
  loadSnapshot(body: SnapshotLoadParams, o?: CallOptions): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const id = (value: string) => encodeURIComponent(value);

export function createFirecrackerClient(options: {
  connector: ApiConnector;
  name: string;
  defaultTimeoutMs?: number;
  /** How long an idle connection is kept for the next request (default 30 s). */
  keepAliveMs?: number;
}): FirecrackerClient {
  // The origin is a placeholder: every byte goes through `connector`, never a real TCP dial.
  const client = new Client('http://firecracker.local', {
    pipelining: 1,
    keepAliveTimeout: options.keepAliveMs ?? 30_000,
    connect: (_opts, callback) => {
      options.connector().then(
        (stream) => callback(null, stream as unknown as Parameters<typeof callback>[1] & object),
        (error: Error) => callback(error, null),
      );
    },
  });
  const timeout = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function call<T>(method: Dispatcher.HttpMethod, path: string, body: unknown, o: CallOptions = {}): Promise<T> {
    // undici's own per-request timeouts rather than an AbortSignal.timeout per call: the timer
    // and signal plumbing cost a measurable share of a 300 µs request (npm run bench).
    const limit = o.timeoutMs ?? timeout;
    let response: { statusCode: number; text: string };
    try {
      response = await exchange(client, {
        method,
        path,
        headersTimeout: limit,
        bodyTimeout: limit,
        headers: body === undefined ? JSON_ACCEPT : JSON_SEND,
        body: body === undefined ? null : JSON.stringify(body),
      }, o.signal);
    } catch (error) {
      throw transportError(options.name, method, path, error);
    }
    const { statusCode, text } = response;
    if (statusCode >= 400) {
      let fault = text;
      try {
        fault = (JSON.parse(text) as { fault_message?: string }).fault_message ?? text;
      } catch {
        // not JSON: keep the raw text
      }
      throw new AppError('FIRECRACKER_API_ERROR', fault || `Firecracker answered ${method} ${path} with HTTP ${statusCode}.`, {
        details: { status: statusCode, method, path },
      });
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const get = <T>(path: string) => (o?: CallOptions) => call<T>('GET', path, undefined, o);
  const put = <B>(path: (body: B) => string) => (body: B, o?: CallOptions) => call<void>('PUT', path(body), body, o);
  const patch = <B>(path: (body: B) => string) => (body: B, o?: CallOptions) => call<void>('PATCH', path(body), body, o);

  return {
    describeInstance: get('/'),
    getVersion: get('/version'),
    getVmConfig: get('/vm/config'),
    getMachineConfig: get('/machine-config'),
    putMachineConfig: put(() => '/machine-config'),
    patchMachineConfig: patch(() => '/machine-config'),
    putBootSource: put(() => '/boot-source'),
    putDrive: put((d: Drive) => `/drives/${id(d.drive_id)}`),
    patchDrive: patch((d: PartialDrive) => `/drives/${id(d.drive_id)}`),
    putNetworkInterface: put((n: NetworkInterface) => `/network-interfaces/${id(n.iface_id)}`),
    patchNetworkInterface: patch((n: PartialNetworkInterface) => `/network-interfaces/${id(n.iface_id)}`),
    putCpuConfig: put(() => '/cpu-config'),
    putLogger: put(() => '/logger'),
    putMetrics: put(() => '/metrics'),
    getMmds: get('/mmds'),
    putMmds: put(() => '/mmds'),
    patchMmds: patch(() => '/mmds'),
    putMmdsConfig: put(() => '/mmds/config'),
    putEntropy: put(() => '/entropy'),
    putVsock: put(() => '/vsock'),
    getBalloon: get('/balloon'),
    putBalloon: put(() => '/balloon'),
    patchBalloon: patch(() => '/balloon'),
    getBalloonStatistics: get('/balloon/statistics'),
    patchBalloonStatistics: patch(() => '/balloon/statistics'),
    action: (action_type, o) => call('PUT', '/actions', { action_type }, o),
    patchVm: (state, o) => call('PATCH', '/vm', { state }, o),
    createSnapshot: put(() => '/snapshot/create'),
    loadSnapshot: put(() => '/snapshot/load'),
    close: () => client.close(),
  };
}

const JSON_ACCEPT = { accept: 'application/json' };
const JSON_SEND = { accept: 'application/json', 'content-type': 'application/json' };

/**
 * One request through undici's dispatch with a handler that only collects the body. undici's
 * `request()` wraps every response in a Readable stream and its promise plumbing; on an API
 * call of ~200 µs over SSH that wrapper measured a quarter of the time (npm run bench), and the
 * answers here are small JSON documents read whole anyway.
 */
function exchange(client: Client, request: Dispatcher.DispatchOptions, signal: AbortSignal | undefined): Promise<{ statusCode: number; text: string }> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    let statusCode = 0;
    const chunks: Buffer[] = [];
    let abort: ((reason: Error) => void) | undefined;
    const onAbort = () => abort?.(abortReason(signal!));
    const done = () => signal?.removeEventListener('abort', onAbort);
    signal?.addEventListener('abort', onAbort, { once: true });
    client.dispatch(request, {
      onConnect(abortRequest: (reason: Error) => void) {
        abort = abortRequest;
        if (signal?.aborted) onAbort();
      },
      onHeaders(status: number) {
        statusCode = status;
        return true;
      },
      onData(chunk: Buffer) {
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        done();
        resolve({ statusCode, text: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8') });
      },
      onError(error: Error) {
        done();
        reject(error);
      },
    } as Dispatcher.DispatchHandler);
  });
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The operation was aborted.', 'AbortError');
}

function transportError(name: string, method: string, path: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || (error as Error).name === 'AbortError') {
    return new AppError('FIRECRACKER_TIMEOUT', `The Firecracker API of ${name} did not answer ${method} ${path} in time.`, {
      remedy: 'The VM may be stuck or its host overloaded; check its console, or stop it.',
      cause: error,
    });
  }
  return new AppError('FIRECRACKER_UNREACHABLE', `Firedeck could not reach the Firecracker API of ${name}: ${(error as Error).message}.`, {
    remedy: 'Check that the VM’s Firecracker process is still running and the host is connected.',
    cause: error,
  });
}

/** API errors: `{"fault_message": ...}` answers with the prefixes Firecracker's VmmActionError Display adds. */

export type FaultKind =
  | 'Balloon' | 'BootSource' | 'CreateSnapshot' | 'CpuConfig' | 'Drive' | 'Entropy' | 'Internal' | 'LoadSnapshot' | 'Logger'
  | 'MachineConfig' | 'Metrics' | 'Mmds' | 'MmdsConfig' | 'MmdsLimit' | 'Net' | 'NotSupported' | 'Start' | 'Vsock';

/** An API error answered as `{"fault_message": ...}` (400 unless told otherwise). */
export class Fault extends Error {
  kind: FaultKind | null = null;
  inner = '';
  /** A failed snapshot load: answered, then the process exits 1. */
  fatal = false;
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const API_PREFIX: Record<FaultKind, string> = {
  Balloon: 'Balloon config error: ',
  BootSource: 'Boot source error: ',
  CreateSnapshot: 'Create snapshot error: ',
  CpuConfig: 'Configure CPU error: ',
  Drive: 'Drive config error: ',
  Entropy: 'Entropy device error: ',
  Internal: 'Internal VMM error: ',
  LoadSnapshot: 'Load snapshot error: ',
  Logger: 'Logger error: ',
  MachineConfig: 'Machine config error: ',
  Metrics: 'Metrics error: ',
  Mmds: 'MMDS error: ',
  MmdsConfig: 'MMMDS config error: ',
  MmdsLimit: 'MMDS limit exceeded error: ',
  Net: 'Network config error: ',
  NotSupported: 'The requested operation is not supported: ',
  Start: 'Start microvm error: ',
  Vsock: 'Vsock config error: ',
};

/** Prefixes of the same errors when they come from `--config-file` (APPROX for the less common ones). */
export const CONFIG_FILE_PREFIX: Partial<Record<FaultKind, string>> = {
  Balloon: 'Balloon device error: ',
  BootSource: 'Boot source error: ',
  Drive: 'Block device error: ',
  Entropy: 'Entropy device error: ',
  Logger: 'Logger error: ',
  MachineConfig: 'VM config error: ',
  Metrics: 'Metrics error: ',
  MmdsConfig: 'MMDS config error: ',
  Mmds: 'MMDS error: ',
  Net: 'Network device error: ',
  Vsock: 'Vsock device error: ',
  CpuConfig: 'Cannot read cpu template file: ',
};

export function vmmError(kind: FaultKind, inner: string, status = 400): Fault {
  const f = new Fault(API_PREFIX[kind] + inner, status);
  f.kind = kind;
  f.inner = inner;
  return f;
}

/** A snapshot-load failure: Firecracker answers it, then exits 1. */
export function fatalLoadError(inner: string): Fault {
  const f = vmmError('LoadSnapshot', `Failed to restore from snapshot: ${inner}`);
  f.fatal = true;
  return f;
}

export const NOT_SUPPORTED_BEFORE_START = 'The requested operation is not supported before starting the microVM.';
export const NOT_SUPPORTED_AFTER_START = 'The requested operation is not supported after starting the microVM.';

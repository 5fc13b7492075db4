/** Request routing and body parsing, as Firecracker's parsed_request.rs does it (texts included). */
import { Fault } from './faults';
import type { JsonValue } from './json-text';
import type { Schema } from './serde';
import { fromSlice, S, SerdeError } from './serde';
import type { MachineConfig, MachineConfigUpdate, MmdsConfig, SnapshotLoadParams, VsockConfig } from './schemas';
import type { Vmm } from './vmm';

export type Action =
  | 'GetInstanceInfo' | 'GetBalloon' | 'GetBalloonStats' | 'GetVersion' | 'GetFullConfig' | 'GetMachineConfig' | 'GetMmds'
  | 'InstanceStart' | 'FlushMetrics' | 'SendCtrlAltDel'
  | 'PutBalloon' | 'PutBootSource' | 'PutCpuConfig' | 'PutDrive' | 'PutLogger' | 'PutMachineConfig' | 'PutMetrics' | 'PutMmds'
  | 'PutMmdsConfig' | 'PutNet' | 'CreateSnapshot' | 'LoadSnapshot' | 'PutVsock' | 'PutEntropy'
  | 'PatchBalloon' | 'PatchBalloonStats' | 'PatchDrive' | 'PatchMachineConfig' | 'PatchMmds' | 'PatchNet' | 'Pause' | 'Resume';

export interface ParsedRequest {
  action: Action;
  /** The deserialized body; its shape is the one of the action's Rust type. */
  payload?: unknown;
  /** A deprecation warning to log (and the `Deprecation: true` header to send). */
  deprecation?: string | null;
}

function deserializeBody<T>(body: Buffer, schema: Schema): T {
  try {
    return fromSlice<T>(body, schema);
  } catch (e) {
    if (e instanceof SerdeError) throw new Fault(`An error occurred when deserializing the json body of a request: ${e.toString()}.`);
    throw e;
  }
}

function checkedId(id: string | undefined): string {
  if (id === undefined || id === '') throw new Fault('The ID cannot be empty.');
  if (!/^[\p{Alphabetic}\p{N}_]+$/u.test(id)) throw new Fault('API Resource IDs can only contain alphanumeric characters and underscores.');
  return id;
}

/**
 * Turns (method, path, body) into a parsed request, or throws a Fault with the routing/validation
 * text. Only the first one or two path segments count.
 */
export function route(vmm: Vmm, method: string, uriPath: string, body: Buffer | null): ParsedRequest {
  const schemas = vmm.schemas;
  const hasBody = body !== null && body.length > 0;
  const tokens = uriPath.replace(/^\/+/, '').split('/');
  if (tokens[tokens.length - 1] === '') tokens.pop();
  const first = tokens[0] ?? '';
  const second = tokens[1];
  const invalid = () => new Fault(`Invalid request method and/or path: ${method} ${first}.`);
  const deser = <T = Record<string, unknown>>(schema: Schema): T => deserializeBody<T>(body ?? Buffer.alloc(0), schema);
  if (method === 'GET') {
    if (hasBody) throw new Fault('GET request cannot have a body.');
    switch (first) {
      case '':
        return { action: 'GetInstanceInfo' };
      case 'balloon':
        if (second === undefined) return { action: 'GetBalloon' };
        if (second === 'statistics') return { action: 'GetBalloonStats' };
        throw new Fault(`Unrecognized GET request path \`${second}\`.`);
      case 'version':
        return { action: 'GetVersion' };
      case 'vm':
        if (second === 'config') return { action: 'GetFullConfig' };
        throw invalid();
      case 'machine-config':
        return { action: 'GetMachineConfig' };
      case 'mmds':
        return { action: 'GetMmds' };
      default:
        throw invalid();
    }
  }
  if (method === 'PUT') {
    if (!hasBody) throw new Fault('Empty PUT request.');
    switch (first) {
      case 'actions': {
        const a = deser<{ action_type: 'FlushMetrics' | 'InstanceStart' | 'SendCtrlAltDel' }>(schemas.action).action_type;
        if (a === 'SendCtrlAltDel' && vmm.arch === 'aarch64') throw new Fault('SendCtrlAltDel does not supported on aarch64.');
        return { action: a };
      }
      case 'balloon':
        return { action: 'PutBalloon', payload: deser(schemas.balloon) };
      case 'boot-source':
        return { action: 'PutBootSource', payload: deser(schemas.bootSource) };
      case 'cpu-config':
        return { action: 'PutCpuConfig', payload: deser(schemas.cpuConfig) };
      case 'drives': {
        const id = checkedId(second);
        const cfg = deser<{ drive_id: string }>(schemas.drive);
        if (cfg.drive_id !== id) throw new Fault('The id from the path does not match the id from the body!');
        return { action: 'PutDrive', payload: cfg };
      }
      case 'logger':
        return { action: 'PutLogger', payload: deser(schemas.logger) };
      case 'machine-config': {
        const cfg = deser<MachineConfig>(schemas.machineConfig);
        return { action: 'PutMachineConfig', payload: cfg, deprecation: cfg.cpu_template !== null ? 'PUT /machine-config: cpu_template field is deprecated.' : null };
      }
      case 'metrics':
        return { action: 'PutMetrics', payload: deser(schemas.metrics) };
      case 'mmds':
        if (second === undefined) return { action: 'PutMmds', payload: deser<JsonValue>(S.any) };
        if (second === 'config') {
          const cfg = deser<MmdsConfig>(schemas.mmdsConfig);
          return { action: 'PutMmdsConfig', payload: cfg, deprecation: cfg.version === 'V1' ? 'PUT /mmds/config: V1 is deprecated. Use V2 instead.' : null };
        }
        throw new Fault(`Unrecognized PUT request path \`${second}\`.`);
      case 'network-interfaces': {
        const id = checkedId(second);
        const cfg = deser<{ iface_id: string }>(schemas.net);
        if (cfg.iface_id !== id) throw new Fault(`The id from the path [${id}] does not match the id from the body [${cfg.iface_id}]!`);
        return { action: 'PutNet', payload: cfg };
      }
      case 'snapshot':
        if (second === 'create') return { action: 'CreateSnapshot', payload: deser(schemas.snapshotCreate) };
        if (second === 'load') {
          const cfg = deser<SnapshotLoadParams>(schemas.snapshotLoad);
          const prefix = 'An error occurred when deserializing the json body of a request: ';
          if (cfg.mem_backend !== null && cfg.mem_file_path !== null) {
            throw new Fault(`${prefix}too many fields: either \`mem_backend\` or \`mem_file_path\` exclusively is required.`);
          }
          if (cfg.mem_backend === null && cfg.mem_file_path === null) {
            throw new Fault(`${prefix}missing field: either \`mem_backend\` or \`mem_file_path\` is required.`);
          }
          const deprecated = cfg.mem_file_path !== null;
          if (cfg.mem_file_path !== null) cfg.mem_backend = { backend_path: cfg.mem_file_path, backend_type: 'File' };
          return { action: 'LoadSnapshot', payload: cfg, deprecation: deprecated ? 'PUT /snapshot/load: mem_file_path field is deprecated.' : null };
        }
        if (second === undefined) throw new Fault('Missing snapshot operation type.');
        throw new Fault(`Invalid request method and/or path: PUT /snapshot/${second}.`);
      case 'vsock': {
        const cfg = deser<VsockConfig>(schemas.vsock);
        return { action: 'PutVsock', payload: cfg, deprecation: cfg.vsock_id !== null ? 'PUT /vsock: vsock_id field is deprecated.' : null };
      }
      case 'entropy':
        return { action: 'PutEntropy', payload: deser(schemas.entropy) };
      default:
        throw invalid();
    }
  }
  if (method === 'PATCH') {
    if (!hasBody) throw new Fault('Empty PATCH request.');
    switch (first) {
      case 'balloon':
        if (second === undefined) return { action: 'PatchBalloon', payload: deser(schemas.balloonUpdate) };
        if (second === 'statistics') return { action: 'PatchBalloonStats', payload: deser(schemas.balloonStatsUpdate) };
        throw new Fault(`Unrecognized PATCH request path \`${second}\`.`);
      case 'drives': {
        const id = checkedId(second);
        const cfg = deser<{ drive_id: string }>(schemas.driveUpdate);
        if (cfg.drive_id !== id) throw new Fault('The id from the path does not match the id from the body!');
        return { action: 'PatchDrive', payload: cfg };
      }
      case 'machine-config': {
        const cfg = deser<MachineConfigUpdate>(schemas.machineConfigUpdate);
        if (Object.values(cfg).every((v) => v === null)) throw new Fault('Empty PATCH request.');
        return { action: 'PatchMachineConfig', payload: cfg, deprecation: cfg.cpu_template !== null ? 'PATCH /machine-config: cpu_template field is deprecated.' : null };
      }
      case 'mmds':
        return { action: 'PatchMmds', payload: deser<JsonValue>(S.any) };
      case 'network-interfaces': {
        const id = checkedId(second);
        const cfg = deser<{ iface_id: string }>(schemas.netUpdate);
        if (cfg.iface_id !== id) throw new Fault(`The id from the path [${id}] does not match the id from the body [${cfg.iface_id}]!`);
        return { action: 'PatchNet', payload: cfg };
      }
      case 'vm':
        return { action: deser<{ state: string }>(schemas.vm).state === 'Paused' ? 'Pause' : 'Resume' };
      default:
        throw invalid();
    }
  }
  throw invalid();
}

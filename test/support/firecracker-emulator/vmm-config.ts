/** Pre-boot configuration of the emulated VMM: each PUT's checks and error texts, as Firecracker's. */
import { openSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { MAX_VCPUS } from './constants';
import { vmmError } from './faults';
import type { JsonValue } from './json-text';
import { mergePatch, toJson } from './json-text';
import type { Level } from './logger';
import { LEVEL_NUM, logger, openExistingTarget } from './logger';
import { metrics } from './metrics';
import { ioText } from './rust-text';
import type { BalloonConfig, BootSourceConfig, DriveConfig, LoggerConfig, MachineConfigUpdate, MmdsConfig, NetConfig, VsockConfig } from './schemas';
import { bindProblem } from './unix-socket';
import type { Vmm } from './vmm';
import { closeFd } from './vmm';

export function setBootSource(vmm: Vmm, cfg: BootSourceConfig): void {
  let kernelFd: number;
  try {
    kernelFd = openSync(cfg.kernel_image_path, 'r');
  } catch (e) {
    throw vmmError('BootSource', `The kernel file cannot be opened: ${ioText(e)}`);
  }
  let initrdFd: number | null = null;
  if (cfg.initrd_path !== null) {
    try {
      initrdFd = openSync(cfg.initrd_path, 'r');
    } catch (e) {
      closeFd(kernelFd);
      throw vmmError('BootSource', `The initrd file cannot be opened due to invalid path or invalid permissions. ${ioText(e)}`);
    }
  }
  // APPROX: linux-loader's command-line checks (length, characters) are not reproduced.
  if (vmm.bootSource) {
    closeFd(vmm.bootSource.kernelFd);
    closeFd(vmm.bootSource.initrdFd);
  }
  vmm.bootSource = { config: { kernel_image_path: cfg.kernel_image_path, initrd_path: cfg.initrd_path, boot_args: cfg.boot_args }, kernelFd, initrdFd };
}

/** MachineConfig::update plus the resource-level balloon checks; `u` has null for "keep". */
export function updateMachineConfig(vmm: Vmm, u: MachineConfigUpdate): void {
  const m = vmm.machine;
  const smt = u.smt ?? m.smt;
  const bad = (inner: string) => vmmError('MachineConfig', inner);
  if (vmm.arch === 'aarch64' && smt) throw bad('Enabling simultaneous multithreading is not supported on aarch64.');
  const vcpus = u.vcpu_count ?? m.vcpu_count;
  const vcpuText = 'The number of vCPUs must be greater than 0, less than 32 and must be 1 or an even number if SMT is enabled.';
  if (vcpus === 0 || vcpus > MAX_VCPUS) throw bad(vcpuText);
  if (smt && vcpus > 1 && vcpus % 2 === 1) throw bad(vcpuText);
  const mem = u.mem_size_mib ?? m.mem_size_mib;
  const huge = u.huge_pages ?? m.huge_pages;
  if (mem === 0 || (huge === '2M' && mem % 2 !== 0)) throw bad('The memory size (MiB) is either 0, or not a multiple of the configured page size.');
  if (vmm.balloon) {
    if (mem < vmm.balloon.amount_mib) throw bad('The memory size (MiB) is smaller than the previously set balloon device target size.');
    if (huge !== 'None') throw bad("Firecracker's huge pages support is incompatible with memory ballooning.");
  }
  vmm.machine = {
    vcpu_count: vcpus,
    mem_size_mib: mem,
    smt,
    cpu_template: u.cpu_template === undefined || u.cpu_template === null ? m.cpu_template : u.cpu_template === 'None' ? null : u.cpu_template,
    track_dirty_pages: u.track_dirty_pages ?? m.track_dirty_pages,
    huge_pages: huge,
  };
}

export function insertDrive(vmm: Vmm, cfg: DriveConfig): void {
  const existing = vmm.drives.findIndex((d) => d.config.drive_id === cfg.drive_id);
  const rootIndex = vmm.drives.findIndex((d) => d.config.is_root_device);
  if (cfg.is_root_device && rootIndex !== -1 && rootIndex !== existing) throw vmmError('Drive', 'A root block device already exists!');
  const isVirtio = cfg.path_on_host !== null && cfg.socket === null;
  const isVhostUser = cfg.socket !== null && cfg.is_read_only === null && cfg.path_on_host === null && cfg.rate_limiter === null && cfg.io_engine === null;
  let fd: number | null = null;
  let config: DriveConfig;
  if (isVirtio) {
    try {
      fd = openSync(cfg.path_on_host!, cfg.is_read_only ? 'r' : 'r+');
    } catch (e) {
      throw vmmError('Drive', `Unable to create the virtio block device: Virtio backend error: Error manipulating the backing file: ${ioText(e)} ${cfg.path_on_host}`);
    }
    config = { ...cfg, is_read_only: cfg.is_read_only ?? false, io_engine: cfg.io_engine ?? 'Sync' };
  } else if (isVhostUser) {
    // APPROX: the real binary connects to the vhost-user backend here; only the socket's presence is checked.
    let isSocket = false;
    try {
      isSocket = statSync(cfg.socket!).isSocket();
    } catch {
      isSocket = false;
    }
    if (!isSocket) throw vmmError('Drive', `Unable to create the virtio block device: Vhost-user block device error: Cannot connect to the vhost-user backend: ${cfg.socket}`);
    config = { ...cfg };
  } else {
    throw vmmError('Drive', 'Unable to create the virtio block device: Invalid block config.');
  }
  if (existing !== -1) {
    closeFd(vmm.drives[existing]!.fd);
    vmm.drives.splice(existing, 1);
  }
  const entry = { config, fd };
  if (config.is_root_device) vmm.drives.unshift(entry);
  else vmm.drives.push(entry);
}

export function insertNet(vmm: Vmm, cfg: NetConfig): void {
  if (cfg.guest_mac !== null && vmm.nets.some((n) => n.config.iface_id !== cfg.iface_id && n.config.guest_mac === cfg.guest_mac)) {
    throw vmmError('Net', `The MAC address is already in use: ${cfg.guest_mac}`);
  }
  const existing = vmm.nets.findIndex((n) => n.config.iface_id === cfg.iface_id);
  let keepMmds = false;
  if (existing !== -1) {
    keepMmds = vmm.nets[existing]!.mmds;
    vmm.nets.splice(existing, 1);
  }
  // APPROX: no TAP device is opened. Names that cannot be interface names, and a TAP already
  // held by another interface of this VM, fail the way TUNSETIFF would.
  const tapProblem = Buffer.byteLength(cfg.host_dev_name) > 15 || cfg.host_dev_name.length === 0
    ? 'Invalid argument (os error 22)'
    : vmm.nets.some((n) => n.config.host_dev_name === cfg.host_dev_name)
      ? 'Device or resource busy (os error 16)'
      : null;
  if (tapProblem) {
    throw vmmError('Net', `Could not create the network device: Open tap device failed: Error while creating ifreq structure: ${tapProblem}. Invalid TUN/TAP Backend provided by ${cfg.host_dev_name}. Check our documentation on setting up the network devices.`);
  }
  vmm.nets.push({ config: { ...cfg }, mmds: keepMmds });
}

/** Binds a vsock host-side socket the way `UnixListener::bind` would; returns the server. */
export function bindVsock(udsPath: string): Server {
  const problem = bindProblem(udsPath);
  if (problem) throw problem;
  const server = createServer((sock) => {
    // No guest-side listener exists, so every forwarded connection is refused.
    sock.on('error', () => {});
    sock.once('data', () => sock.destroy());
  });
  server.on('error', () => {});
  server.listen(udsPath);
  return server;
}

export function setVsock(vmm: Vmm, cfg: VsockConfig): void {
  if (vmm.vsock) {
    try {
      vmm.vsock.server.close();
    } catch {
      // already closed
    }
    rmSync(vmm.vsock.config.uds_path, { force: true });
    vmm.vsock = null;
  }
  let server: Server;
  try {
    server = bindVsock(cfg.uds_path);
  } catch (e) {
    throw vmmError('Vsock', `Cannot create backend for vsock device: Error binding to the host-side Unix socket: ${ioText(e)}`);
  }
  vmm.vsock = { config: { guest_cid: cfg.guest_cid, uds_path: cfg.uds_path }, server };
}

export function setBalloon(vmm: Vmm, cfg: BalloonConfig): void {
  if (cfg.amount_mib > vmm.machine.mem_size_mib) throw vmmError('Balloon', 'Amount of pages requested is too large.');
  if (vmm.machine.huge_pages !== 'None') throw vmmError('Balloon', "Firecracker's huge pages support is incompatible with memory ballooning.");
  vmm.balloon = { amount_mib: cfg.amount_mib, deflate_on_oom: cfg.deflate_on_oom, stats_polling_interval_s: cfg.stats_polling_interval_s };
}

export function setLogger(cfg: LoggerConfig): void {
  let fd = logger.fd;
  if (cfg.log_path !== null) {
    try {
      fd = openExistingTarget(cfg.log_path);
    } catch (e) {
      throw vmmError('Logger', `Failed to open target file: ${ioText(e)}`);
    }
  }
  logger.fd = fd;
  logger.level = LEVEL_NUM[(cfg.level ?? 'Info') as Level];
  logger.showLevel = cfg.show_level ?? false;
  logger.showOrigin = cfg.show_log_origin ?? false;
  logger.module = cfg.module ?? null;
}

export function setMetrics(metricsPath: string): void {
  const prefix = 'Cannot initialize the metrics system due to bad user input: ';
  if (metrics.fd !== null) throw vmmError('Metrics', `${prefix}Reinitialization of metrics not allowed.`);
  try {
    metrics.fd = openExistingTarget(metricsPath);
  } catch (e) {
    throw vmmError('Metrics', `${prefix}${ioText(e)}`);
  }
}

export function setMmdsConfig(vmm: Vmm, cfg: MmdsConfig): void {
  const bad = (inner: string) => vmmError('MmdsConfig', inner);
  const ip = cfg.ipv4_address ?? '169.254.169.254';
  const [a, b, c = 0] = ip.split('.').map(Number);
  if (!(a === 169 && b === 254 && c >= 1 && c <= 254)) throw bad('The MMDS IPv4 address is not link local.');
  if (cfg.network_interfaces.length === 0) throw bad('The list of network interface IDs that allow forwarding MMDS requests is empty.');
  const known = new Set(vmm.nets.map((n) => n.config.iface_id));
  if (!cfg.network_interfaces.every((id) => known.has(id))) {
    throw bad('The list of network interface IDs provided contains at least one ID that does not correspond to any existing network interface.');
  }
  vmm.mmdsVersion = cfg.version;
  vmm.mmdsIpv4 = ip;
  for (const n of vmm.nets) n.mmds = cfg.network_interfaces.includes(n.config.iface_id);
}

export function putMmdsData(vmm: Vmm, value: JsonValue): void {
  if (Buffer.byteLength(toJson(value, true)) > vmm.mmdsLimit) throw vmmError('MmdsLimit', "The MMDS patch request doesn't fit.", 413);
  vmm.mmdsData = value;
  vmm.mmdsInitialized = true;
}

export function patchMmdsData(vmm: Vmm, patch: JsonValue): void {
  if (!vmm.mmdsInitialized) throw vmmError('Mmds', 'The MMDS data store is not initialized.');
  const merged = mergePatch(vmm.mmdsData, patch);
  if (Buffer.byteLength(toJson(merged, true)) > vmm.mmdsLimit) throw vmmError('MmdsLimit', "The MMDS patch request doesn't fit.", 413);
  vmm.mmdsData = merged;
}

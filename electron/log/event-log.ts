import type { HostSummary } from '../../shared/channels/hosts.js';
import type { AppNotification, TaskFinishedEvent } from '../../shared/channels/notifications.js';
import type { VmSummary } from '../../shared/channels/vms.js';
import type { EventBus } from '../event-bus.js';
import type { AppLog } from './app-log.js';

const MAX_TRACKED = 10_000;

/**
 * Writes the turns a bug report needs into the log: a host's connection changing state (with the
 * error that caused it), a microVM changing state, a long task ending, a notification raised.
 * Only changes are written, never the events' repeats; returns the unsubscribe function.
 */
export function logEvents(events: EventBus, log: AppLog): () => void {
  const hostStates = new Map<string, string>();
  const vmStates = new Map<string, string>();
  const remember = (map: Map<string, string>, key: string, value: string) => {
    map.set(key, value);
    if (map.size > MAX_TRACKED) map.delete(map.keys().next().value!);
  };
  return events.subscribe((event, payload) => {
    if (event === 'hosts.changed') {
      const host = payload as HostSummary;
      const state = host.connection.state;
      if (hostStates.get(host.id) === state) return;
      remember(hostStates, host.id, state);
      const error = 'error' in host.connection ? ` (${host.connection.error.code}: ${host.connection.error.message})` : '';
      const line = `host ${JSON.stringify(host.label)} ${state}${error}`;
      if (error) log.warn(line);
      else log.info(line);
    } else if (event === 'vms.changed') {
      const vm = payload as VmSummary;
      const key = `${vm.hostId}/${vm.id}`;
      if (vmStates.get(key) === vm.state) return;
      remember(vmStates, key, vm.state);
      log.info(`microVM ${vm.id} on host ${vm.hostId}: ${vm.state}`);
    } else if (event === 'vms.removed') {
      const { hostId, id } = payload as { hostId: string; id: string };
      vmStates.delete(`${hostId}/${id}`);
      log.info(`microVM ${id} on host ${hostId}: deleted`);
    } else if (event === 'tasks.finished') {
      const task = payload as TaskFinishedEvent;
      log.info(`${task.task} ${task.ok ? 'finished' : 'failed'}: ${task.title}${task.message ? ` (${task.message})` : ''}`);
    } else if (event === 'notifications.raised') {
      const n = payload as AppNotification;
      log.info(`notified (${n.kind}): ${n.title}`);
    }
  });
}

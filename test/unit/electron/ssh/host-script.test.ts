import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { HostConnection } from '../../../../electron/ssh/host-connection';
import { hostScript, runHostScript } from '../../../../electron/ssh/host-script';

/** A connection whose commands run here under dash, as they would on a Debian host. */
function localConnection(): HostConnection & { sent: string[] } {
  const sent: string[] = [];
  return {
    name: 'test-host',
    sent,
    state: { state: 'connected', since: new Date(0).toISOString() },
    connect: async () => {},
    disconnect: () => {},
    onState: () => () => {},
    lastSeenAt: undefined,
    withClient: () => Promise.reject(new Error('not used')),
    openStream: () => Promise.reject(new Error('not used')),
    usage: () => ({ connections: 1, links: [], forwards: 0 }),
    async exec(script) {
      sent.push(script);
      const result = spawnSync('dash', ['-c', script], { encoding: 'utf8' });
      return { output: result.stdout, stderr: result.stderr, exitCode: result.status ?? -1 };
    },
  };
}

const echoArgs = hostScript({
  name: 'echo-args',
  source: 'for a in "$@"; do printf "[%s]\\n" "$a"; done\n[ "$1" = exists ] && exit 17\n[ "$1" = broken ] && { echo "it broke" >&2; exit 9; }\n[ "$1" = odd ] && { echo "line 1"; echo "line 2"; exit 5; }\nexit 0',
  what: 'Echoing',
  outcomes: { 17: 'exists' },
  failures: { 9: { code: 'CONFLICT', message: ({ stderr }) => `the tool said: ${stderr}`, remedy: 'Do something else.' } },
});

describe('runHostScript', () => {
  it('passes each argument as one word, whatever it holds', async () => {
    const hostile = ['$(touch /tmp/pwned)', "it's", 'a;b', 'line\nbreak', '`id`', '\\n', '', '-x'];
    const connection = localConnection();
    const result = await runHostScript(connection, echoArgs, hostile);
    expect(result.outcome).toBe('ok');
    expect(result.output).toBe(hostile.map((a) => `[${a}]\n`).join(''));
    expect(connection.sent[0]).not.toContain('$(touch /tmp/pwned)\n');
  });

  it('returns named outcomes, throws named failures, and names the operation otherwise', async () => {
    const connection = localConnection();
    expect((await runHostScript(connection, echoArgs, ['exists'])).outcome).toBe('exists');
    await expect(runHostScript(connection, echoArgs, ['broken'])).rejects.toMatchObject({ code: 'CONFLICT', message: 'the tool said: it broke', remedy: 'Do something else.' });
    await expect(runHostScript(connection, echoArgs, ['odd'])).rejects.toMatchObject({ code: 'HOST_COMMAND_FAILED', message: 'Echoing failed on test-host: [odd] / line 1 / line 2' });
  });

  it('refuses to give a meaning to exits that are not the script’s own', () => {
    expect(() => hostScript({ name: 'x', source: '', what: 'x', outcomes: { 127: 'missing' } })).toThrow(/127/);
  });
});

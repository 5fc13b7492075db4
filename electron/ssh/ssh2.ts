// ssh2 is CommonJS and its `utils` export is not visible to Node's ESM named-export detection.
import ssh2 from 'ssh2';

export const { Client, utils: sshUtils } = ssh2;
export type { Client as SshClient, ClientChannel, ConnectConfig } from 'ssh2';

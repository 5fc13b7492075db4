import type { workspacesChannels } from '../../shared/channels/workspaces.js';
import type { RoutesOf } from '../router.js';
import type { WorkspaceService } from './workspace-service.js';

export function createWorkspaceRoutes(workspaces: WorkspaceService): RoutesOf<typeof workspacesChannels> {
  const files = (id: string) => workspaces.files(id);
  return {
    'workspaces.list': () => workspaces.list(),
    'workspaces.create': ({ id }) => workspaces.create(id),
    'workspaces.remove': async ({ id }) => ({ removed: await workspaces.remove(id) }),
    'workspaces.listFiles': async ({ workspaceId, dir }) => (await files(workspaceId)).list(dir),
    'workspaces.readFile': async ({ workspaceId, path }) => (await files(workspaceId)).readText(path),
    'workspaces.writeFile': async ({ workspaceId, path, content }) => (await files(workspaceId)).writeText(path, content),
    'workspaces.createFolder': async ({ workspaceId, path }) => (await files(workspaceId)).createFolder(path),
    'workspaces.rename': async ({ workspaceId, from, to }) => (await files(workspaceId)).rename(from, to),
    'workspaces.delete': async ({ workspaceId, path }) => ({ deleted: await (await files(workspaceId)).remove(path) }),
    'workspaces.uploadChunk': async ({ workspaceId, uploadId, path, offset, data, done }) => ({
      received: await (await files(workspaceId)).uploadChunk(uploadId, path, offset, Buffer.from(data, 'base64'), done),
    }),
    'workspaces.push': (request) => workspaces.push(request),
  };
}

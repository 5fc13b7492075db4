import { useAppStore } from '../../store/context';

/** Where in the workspace the list is: the workspace, then each folder down to this one. */
export function FolderCrumbs({ workspaceId, crumbs }: { workspaceId: string; crumbs: string[] }) {
  const openDir = useAppStore((s) => s.workspaces.openDir);
  return (
    <nav aria-label="Folder" className="crumbs">
      <button type="button" className="link" onClick={() => void openDir('')}>
        {workspaceId}
      </button>
      {crumbs.map((crumb, i) => (
        <span key={i}>
          {' / '}
          <button type="button" className="link" onClick={() => void openDir(crumbs.slice(0, i + 1).join('/'))}>
            {crumb}
          </button>
        </span>
      ))}
    </nav>
  );
}

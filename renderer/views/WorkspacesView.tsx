import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { GoToHosts } from './GoToHosts';

export function WorkspacesView() {
  return (
    <>
      <PageHeader title="Workspaces" description="Local folders that belong to your sandboxes." />
      <EmptyState icon="workspaces" title="No workspaces yet">
        <p>
          Each microVM gets a workspace folder on this computer. You edit files there and push them to the sandbox's host;
          Firedeck keeps every file operation inside that folder.
        </p>
        <GoToHosts label="Add a host first" />
      </EmptyState>
    </>
  );
}

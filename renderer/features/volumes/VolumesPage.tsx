import { EmptyState, IconVolumes, Page } from '../../components';

/** Shell until the volumes page lands: the page helper replaces the body. */
export function VolumesPage() {
  return (
    <Page title="Volumes">
      <EmptyState icon={<IconVolumes />} title="The volume list is not built yet">
        This page will list the volumes of the active engine with their driver, mount point and the containers using them, and
        let you create, inspect and remove them, and prune unused ones.
      </EmptyState>
    </Page>
  );
}

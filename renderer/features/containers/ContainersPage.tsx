import { EmptyState, IconContainers, Page } from '../../components';

/** Shell until the containers page lands: the page helper replaces the body. */
export function ContainersPage() {
  return (
    <Page title="Containers">
      <EmptyState icon={<IconContainers />} title="The container list is not built yet">
        This page will list the containers of the active engine with their state, image, ports and age, and let you start, stop,
        restart and remove them, follow their logs, watch their resource use and open a terminal in them.
      </EmptyState>
    </Page>
  );
}

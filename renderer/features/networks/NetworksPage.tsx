import { EmptyState, IconNetworks, Page } from '../../components';

/** Shell until the networks page lands: the page helper replaces the body. */
export function NetworksPage() {
  return (
    <Page title="Networks">
      <EmptyState icon={<IconNetworks />} title="The network list is not built yet">
        This page will list the networks of the active engine with their driver, subnet and connected containers, and let you
        create, inspect and remove them.
      </EmptyState>
    </Page>
  );
}

import { EmptyState, IconImages, Page } from '../../components';

/** Shell until the images page lands: the page helper replaces the body. */
export function ImagesPage() {
  return (
    <Page title="Images">
      <EmptyState icon={<IconImages />} title="The image list is not built yet">
        This page will list the images of the active engine with their tags, size and age, and let you pull, tag, inspect and
        remove them, and prune the ones no container uses.
      </EmptyState>
    </Page>
  );
}

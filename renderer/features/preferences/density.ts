import { useApp } from '../../stores/app';

/** Puts `data-density` on the document (lists read `--row-h`), and keeps it in step with the settings. */
export function bindDensity(): () => void {
  const apply = () => {
    const d = useApp.getState().settings?.ui.density ?? 'comfortable';
    if (document.documentElement.dataset.density !== d) document.documentElement.dataset.density = d;
  };
  apply();
  return useApp.subscribe(apply);
}

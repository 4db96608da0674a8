import { findPage } from '../../app/routes';
import { href } from '../../lib/router';
import { Section } from './Section';
import { useSettings } from './use-settings';

/** The VM's resources, edited on the VM page (shown only once that page exists). */
export function VmSection() {
  const s = useSettings();
  if (!s || !findPage('vm')) return null;
  return (
    <Section id="vm" title="Virtual machine" applies="Changed on the VM page; most take effect when the VM restarts.">
      <p>
        {s.vm.cpus === 0 ? 'Automatic CPUs' : `${s.vm.cpus} CPUs`} · {s.vm.memoryGiB} GiB memory · {s.vm.diskGiB} GiB disk
      </p>
      <a className="btn btn-secondary prefs-link-btn" href={href('vm')}>
        Open the VM settings
      </a>
    </Section>
  );
}

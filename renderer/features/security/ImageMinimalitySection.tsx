import { useEffect, useState } from 'react';
import type { ImageMinimality } from '../../../app/contract/security';
import type { ErrorShape } from '../../../app/contract/errors';
import { Spinner } from '../../components';
import { toErrorShape } from '../../lib/errors';
import { formatBytes } from '../../lib/format';
import { imageMinimality } from '../../stores/security';
import './security.css';

const CLASS_LABEL: Record<ImageMinimality['class'], string> = { distroless: 'Distroless', slim: 'Slim', full: 'Full distribution' };
const CLASS_TONE: Record<ImageMinimality['class'], string> = { distroless: 'posture-hardened', slim: 'posture-restricted', full: 'posture-baseline' };

/** How minimal an image is (looked into once per image id by the core): class, shell, package manager, USER, size band. */
export function ImageMinimalitySection({ id }: { id: string }) {
  const [m, setM] = useState<ImageMinimality | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  useEffect(() => {
    let live = true;
    setM(null);
    setError(null);
    imageMinimality(id).then(
      (v) => live && setM(v),
      (e: unknown) => live && setError(toErrorShape(e)),
    );
    return () => {
      live = false;
    };
  }, [id]);
  return (
    <>
      <h3 className="side-panel-subtitle">Minimality</h3>
      {error && <p className="muted panel-note">Could not look into the image: {error.message}</p>}
      {!m && !error && <Spinner label="Looking into the image…" />}
      {m && (
        <div className="sec-minimality" aria-label="Image minimality">
          <span className={`posture-badge ${CLASS_TONE[m.class]}`}>{CLASS_LABEL[m.class]}</span>
          {m.distro && <span>{m.distro}</span>}
          <span>{m.shell ? `shell ${m.shell}` : 'no shell'}</span>
          <span>{m.packageManager ? `package manager ${m.packageManager}` : 'no package manager'}</span>
          <span>{m.nonRootUser ? `runs as ${m.user}` : 'runs as root'}</span>
          <span>
            {formatBytes(m.sizeBytes)} ({m.sizeBand})
          </span>
        </div>
      )}
    </>
  );
}

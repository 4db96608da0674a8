import { navigate } from '../../lib/router';
import { SecurityPanel } from '../security/SecurityPanel';
import type { DetailTabProps } from './types';

/** The Security tab: the container's posture (renderer/features/security); a hardening recreate opens the new container. */
export function SecurityTab({ containerId, containerName }: DetailTabProps) {
  return <SecurityPanel containerId={containerId} containerName={containerName} onReplaced={(id) => navigate('containers', id, 'security')} />;
}

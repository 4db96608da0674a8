import type { NetworksOps } from '../../../ports/engine/networks';
import type { DockerContext } from './context';

export class DockerNetworks implements NetworksOps {
  constructor(protected readonly ctx: DockerContext) {}
}

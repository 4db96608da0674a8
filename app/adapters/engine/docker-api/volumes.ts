import type { VolumesOps } from '../../../ports/engine/volumes';
import type { DockerContext } from './context';

export class DockerVolumes implements VolumesOps {
  constructor(protected readonly ctx: DockerContext) {}
}

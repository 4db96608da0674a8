import type { ImagesOps } from '../../../ports/engine/images';
import type { DockerContext } from './context';

export class DockerImages implements ImagesOps {
  constructor(protected readonly ctx: DockerContext) {}
}

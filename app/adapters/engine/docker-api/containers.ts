import type { ContainersOps } from '../../../ports/engine/containers';
import type { DockerContext } from './context';

export class DockerContainers implements ContainersOps {
  constructor(protected readonly ctx: DockerContext) {}
}

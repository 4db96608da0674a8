import type { EventsOps } from '../../../ports/engine/events';
import type { DockerContext } from './context';

export class DockerEvents implements EventsOps {
  constructor(protected readonly ctx: DockerContext) {}
}

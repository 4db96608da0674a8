import type { StatsOps } from '../../../ports/engine/stats';
import type { DockerContext } from './context';

export class DockerStats implements StatsOps {
  constructor(protected readonly ctx: DockerContext) {}
}

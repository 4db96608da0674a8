import type { LogsOps } from '../../../ports/engine/logs';
import type { DockerContext } from './context';

export class DockerLogs implements LogsOps {
  constructor(protected readonly ctx: DockerContext) {}
}

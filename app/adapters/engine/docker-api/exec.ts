import type { ExecOps } from '../../../ports/engine/exec';
import type { DockerContext } from './context';

export class DockerExec implements ExecOps {
  constructor(protected readonly ctx: DockerContext) {}
}

import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { BerthError } from '../../../contract/errors';
import type { FileChange, FileEntry } from '../../../contract/files';
import type { FileStat } from '../../../ports/engine/files';
import { listFromArchive, type ArchiveBackend } from '../files-archive';
import { goModePerm, goModeType, mapChanges, normalisePath } from '../../../core/container-files';
import type { DockerContext } from './context';

interface DockerPathStat {
  name?: string;
  size?: number;
  mode?: number;
  linkTarget?: string;
}

/** A container's file system over the archive endpoints (`GET`/`HEAD`/`PUT /containers/{id}/archive`) and `/changes`. */
export class DockerArchive implements ArchiveBackend {
  constructor(private readonly ctx: DockerContext) {}

  async list(id: string, folder: string, signal: AbortSignal): Promise<FileEntry[]> {
    const path = normalisePath(folder);
    const source = await this.archive(id, path, signal);
    try {
      return await listFromArchive(path, source, signal);
    } catch (err) {
      if (signal.aborted) throw new BerthError('CANCELLED', `Cancelled: list ${path} in container "${id}".`);
      throw this.ctx.fail(err, 'list the folder', id);
    }
  }

  async stat(id: string, path: string, signal: AbortSignal): Promise<FileStat | null> {
    let res: IncomingMessage;
    try {
      res = (await this.ctx.docker.getContainer(id).infoArchive({ path, abortSignal: signal })) as IncomingMessage;
    } catch (err) {
      // HEAD has no body: a 404 is either "no such path" or "no such container"; inspecting tells them apart.
      if ((err as { statusCode?: number }).statusCode === 404) {
        await this.ctx.call('inspect the container', id, () => this.ctx.docker.getContainer(id).inspect());
        return null;
      }
      throw this.ctx.fail(err, 'read the file information', id);
    }
    res.resume();
    const raw = res.headers['x-docker-container-path-stat'];
    if (typeof raw !== 'string') throw new BerthError('INTERNAL', `The engine sent no file information for ${path} in container "${id}".`);
    const s = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as DockerPathStat;
    const mode = typeof s.mode === 'number' ? s.mode : 0;
    const out: FileStat = { name: s.name ?? path.split('/').at(-1) ?? '', size: s.size ?? 0, mode: goModePerm(mode), type: goModeType(mode) };
    if (s.linkTarget) out.linkTarget = s.linkTarget;
    return out;
  }

  async archive(id: string, path: string, signal: AbortSignal): Promise<Readable> {
    const s = await this.ctx.call('read from the container', id, () => this.ctx.docker.getContainer(id).getArchive({ path, abortSignal: signal }));
    return s instanceof Readable ? s : Readable.from(s);
  }

  async extract(id: string, folder: string, tar: Readable, signal: AbortSignal): Promise<void> {
    const res = await this.ctx.call('copy into the container', id, () =>
      this.ctx.docker.getContainer(id).putArchive(tar, { path: folder, abortSignal: signal } as object),
    );
    const body = res as unknown as Readable | undefined;
    if (body && typeof body.resume === 'function') body.resume();
  }

  async changes(id: string, signal: AbortSignal): Promise<FileChange[]> {
    const raw: unknown = await this.ctx.call('read the changes of the container', id, () => this.ctx.docker.getContainer(id).changes({ abortSignal: signal }));
    return mapChanges(raw);
  }
}

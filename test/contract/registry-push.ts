import crypto from 'node:crypto';
import zlib from 'node:zlib';
import tarStream from 'tar-stream';

const sha = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

async function tarOf(name: string, data: Buffer): Promise<Buffer> {
  const pack = tarStream.pack();
  pack.entry({ name, size: data.length, mode: 0o644 }, data);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function putBlob(registry: string, repo: string, blob: Buffer): Promise<string> {
  const digest = sha(blob);
  const start = await fetch(`http://${registry}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`registry upload start: ${start.status} ${await start.text()}`);
  const loc = new URL(start.headers.get('location') ?? '', `http://${registry}`);
  loc.searchParams.set('digest', digest);
  const put = await fetch(loc, { method: 'PUT', body: blob, headers: { 'content-type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`registry blob upload: ${put.status} ${await put.text()}`);
  return digest;
}

/**
 * Pushes a one-layer image of `bytes` random bytes straight to the registry (HTTP API), so no engine has its
 * blobs in a local store: a pull of it really downloads (containerd keeps a built image's blobs under BuildKit's
 * leases after `rmi`, so a build-push-remove round would pull from the local store). Returns the manifest digest.
 */
export async function pushRandomImage(registry: string, repo: string, tag: string, bytes: number): Promise<string> {
  const tar = await tarOf('random', crypto.randomBytes(bytes));
  const layer = zlib.gzipSync(tar, { level: 1 });
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch as string] ?? process.arch;
  const config = Buffer.from(JSON.stringify({ architecture: arch, os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [sha(tar)] } }));
  const configDigest = await putBlob(registry, repo, config);
  const layerDigest = await putBlob(registry, repo, layer);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
    }),
  );
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
  if (res.status !== 201) throw new Error(`registry manifest upload: ${res.status} ${await res.text()}`);
  return sha(manifest);
}

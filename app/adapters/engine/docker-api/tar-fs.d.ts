// tar-fs (a dependency of dockerode) ships no types; this is the part the build context uses.
declare module 'tar-fs' {
  interface PackHeader {
    name: string;
    mode: number;
    uid: number;
    gid: number;
    size: number;
    type: string;
  }
  interface PackOptions {
    entries?: string[];
    ignore?: (absolutePath: string) => boolean;
    map?: (header: PackHeader) => PackHeader | undefined;
    dereference?: boolean;
  }
  const tarFs: { pack(cwd: string, opts?: PackOptions): NodeJS.ReadableStream & { destroy(err?: Error): void } };
  export default tarFs;
}

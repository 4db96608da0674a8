import path from 'node:path';
import type { Plugin } from 'vite';

/**
 * Puts the renderer's early script (renderer/early.ts, see renderer/lib/early-link.ts) into
 * index.html as a chunk of its own, before the app's bundle, as an async module: it runs as soon
 * as it has loaded (a few kB), while the browser still loads and compiles the app. Vite would
 * merge a second module script of the HTML into the app's entry, which runs only after the whole
 * app has loaded, hence the separate chunk. Its imports get modulepreload links (no waterfall).
 */
export function earlyScript(root: string, entry = 'early.ts'): Plugin {
  let build = false;
  const isIndex = (file: string) => path.resolve(file) === path.resolve(root, 'index.html');
  return {
    name: 'berth-early-script',
    configResolved(config) {
      build = config.command === 'build';
    },
    buildStart() {
      if (build) this.emitFile({ type: 'chunk', id: path.resolve(root, entry), name: 'early' });
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!isIndex(ctx.filename)) return html;
        let tags: string;
        if (!build) {
          tags = `<script type="module" async src="/${entry}"></script>`;
        } else {
          const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.isEntry && c.name === 'early');
          if (!chunk || chunk.type !== 'chunk') throw new Error(`The early script (${entry}) is missing from the build`);
          const preload = chunk.imports.filter((f) => !html.includes(`href="./${f}"`)).map((f) => `<link rel="modulepreload" crossorigin href="./${f}">`);
          tags = [`<script type="module" async crossorigin src="./${chunk.fileName}"></script>`, ...preload].join('\n    ');
        }
        const at = html.indexOf('<script type="module"');
        if (at < 0) throw new Error('index.html has no module script to put the early script before');
        return `${html.slice(0, at)}${tags}\n    ${html.slice(at)}`;
      },
    },
  };
}

/** Vite's `?raw` imports (a file's text), used by renderer tests to read fixtures without node:fs. */
declare module '*?raw' {
  const text: string;
  export default text;
}

import { useEffect, useImperativeHandle, useLayoutEffect, useRef, type Ref } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import '@xterm/xterm/css/xterm.css';
import { useApp } from '../../stores/app';
import { readTerminalTheme, termFontFamily, termFontSize } from './theme';
import { copyText, isCopyKey, isPasteKey, pasteInto } from './clipboard';

export interface XtermHandle {
  term(): Terminal | null;
  search(): SearchAddon | null;
  /** Fits to the box now; returns the size. */
  fit(): { cols: number; rows: number };
  focus(): void;
}

interface Props {
  label: string;
  /** Keystrokes and pastes, as the terminal encodes them. */
  onData(data: string): void;
  onResize(cols: number, rows: number): void;
  /** Ctrl/Cmd+Shift+F in the terminal. */
  onSearchKey?(): void;
  ref?: Ref<XtermHandle>;
}

/** The element carries its terminal, for devtools and the end-to-end tests (they read its buffer). */
export type TerminalHost = HTMLDivElement & { berthTerm?: Terminal };

/**
 * xterm.js filling its box: fit (refits when the box changes), search, clickable links, WebGL
 * where the GPU allows it (the DOM renderer otherwise, and again if the WebGL context is lost),
 * copy and paste keys, the theme, and the font and size from the settings (following the zoom).
 * Shift+Tab moves the focus out (Tab itself goes to the program).
 */
export function XtermView({ label, onData, onResize, onSearchKey, ref }: Props) {
  const boxRef = useRef<TerminalHost>(null);
  const termRef = useRef<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const handlers = useRef({ onData, onResize, onSearchKey });
  useLayoutEffect(() => {
    handlers.current = { onData, onResize, onSearchKey };
  });
  const fontFamily = useApp((s) => s.settings?.terminal.fontFamily);
  const fontSize = useApp((s) => s.settings?.terminal.fontSize);
  const font = useRef({ fontFamily, fontSize });
  font.current = { fontFamily, fontSize };

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const term = new Terminal({
      cursorBlink: true,
      fontFamily: termFontFamily(font.current.fontFamily),
      fontSize: termFontSize(font.current.fontSize),
      scrollback: 10_000,
      theme: readTerminalTheme(),
      allowProposedApi: true,
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.loadAddon(new WebLinksAddon((e, uri) => {
      e.preventDefault();
      window.open(uri, '_blank', 'noopener,noreferrer');
    }));
    term.open(box);
    void loadWebgl(term);
    term.attachCustomKeyEventHandler((e) => {
      // The app's own shortcuts (palette, pages, zoom, the dock) were handled before the terminal saw them.
      if (e.defaultPrevented) return false;
      if (e.type !== 'keydown') return true;
      if (e.key === 'Tab' && e.shiftKey) return false;
      if (isCopyKey(e) && term.hasSelection()) {
        void copyText(term.getSelection());
        return false;
      }
      if (isPasteKey(e)) {
        void pasteInto(term);
        return false;
      }
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === 'f') {
        handlers.current.onSearchKey?.();
        return false;
      }
      return true;
    });
    box.querySelector('textarea')?.setAttribute('aria-label', label);
    box.berthTerm = term;
    termRef.current = term;
    fitRef.current = fit;
    searchRef.current = search;
    const subs = [term.onData((d) => handlers.current.onData(d)), term.onResize(({ cols, rows }) => handlers.current.onResize(cols, rows))];
    const refit = () => {
      if (box.clientWidth > 0 && box.clientHeight > 0) fit.fit();
    };
    refit();
    const ro = new ResizeObserver(() => refit());
    ro.observe(box);
    // Theme and zoom live on <html>: follow them.
    const mo = new MutationObserver(() => {
      term.options.theme = readTerminalTheme();
      const size = termFontSize(font.current.fontSize);
      if (term.options.fontSize !== size) {
        term.options.fontSize = size;
        refit();
      }
    });
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'style'] });
    return () => {
      ro.disconnect();
      mo.disconnect();
      subs.forEach((s) => s.dispose());
      delete box.berthTerm;
      term.dispose();
      termRef.current = null;
      fitRef.current = null;
      searchRef.current = null;
    };
  }, [label]);

  // Settings changed: new font or size.
  useEffect(() => {
    const term = termRef.current;
    const box = boxRef.current;
    if (!term || !box) return;
    term.options.fontFamily = termFontFamily(fontFamily);
    term.options.fontSize = termFontSize(fontSize);
    if (box.clientWidth > 0 && box.clientHeight > 0) fitRef.current?.fit();
  }, [fontFamily, fontSize]);

  useImperativeHandle(
    ref,
    () => ({
      term: () => termRef.current,
      search: () => searchRef.current,
      fit() {
        const t = termRef.current;
        const box = boxRef.current;
        if (t && box && box.clientWidth > 0 && box.clientHeight > 0) fitRef.current?.fit();
        return { cols: t?.cols ?? 80, rows: t?.rows ?? 24 };
      },
      focus: () => termRef.current?.focus(),
    }),
    [],
  );

  return <div ref={boxRef} className="term-box" data-testid="terminal" />;
}

/** A GPU behind WebGL2; a software rasterizer (SwiftShader, llvmpipe) is slower than the DOM renderer. */
function hardwareWebgl(): boolean {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return false;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return !/swiftshader|llvmpipe|softpipe|software/i.test(renderer);
}

/** WebGL rendering on a GPU; without one, on failure or on a lost context, xterm's DOM renderer. */
async function loadWebgl(term: Terminal): Promise<void> {
  if (!hardwareWebgl()) return;
  try {
    const { WebglAddon } = await import('@xterm/addon-webgl');
    const webgl = new WebglAddon();
    webgl.onContextLoss(() => webgl.dispose());
    term.loadAddon(webgl);
  } catch (err) {
    console.warn('Terminal: WebGL rendering is unavailable, using the DOM renderer', err);
  }
}

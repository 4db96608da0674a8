import { useEffect, useImperativeHandle, useLayoutEffect, useRef, type Ref } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { monoFont, readTerminalTheme, termFontSize } from './terminal-theme';

export interface TerminalHandle {
  term(): Terminal | null;
  /** Fits to the box now; returns the size. */
  fit(): { cols: number; rows: number };
  focus(): void;
}

interface Props {
  label: string;
  /** Keystrokes and pastes, as the terminal encodes them. */
  onData(data: string): void;
  onResize(cols: number, rows: number): void;
  ref?: Ref<TerminalHandle>;
}

/**
 * An xterm.js terminal that fills its box, refits when the box changes, follows the light/dark
 * theme and the zoom, and lets Shift+Tab move the focus out (Tab itself goes to the shell).
 */
export function TerminalView({ label, onData, onResize, ref }: Props) {
  const boxRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const handlers = useRef({ onData, onResize });
  useLayoutEffect(() => {
    handlers.current = { onData, onResize };
  });

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const term = new Terminal({
      cursorBlink: true,
      fontFamily: monoFont(),
      fontSize: termFontSize(),
      scrollback: 5000,
      theme: readTerminalTheme(),
      allowProposedApi: false,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(box);
    term.attachCustomKeyEventHandler((e) => !(e.key === 'Tab' && e.shiftKey));
    const textarea = box.querySelector('textarea');
    textarea?.setAttribute('aria-label', label);
    termRef.current = term;
    fitRef.current = fit;
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
      const size = termFontSize();
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
      term.dispose();
      termRef.current = null;
      fitRef.current = null;
    };
  }, [label]);

  useImperativeHandle(
    ref,
    () => ({
      term: () => termRef.current,
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

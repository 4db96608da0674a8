import { lazy, Suspense, type ComponentProps } from 'react';
import { Spinner } from '../../components';

/**
 * The terminal view, with xterm, loaded when a terminal is first shown: xterm is about a third
 * of the renderer's code, and no page needs it to open (a cold start parses less before the
 * first row). The pane attaches to its session only once loaded, so no output is missed.
 */
const Pane = lazy(() => import('./TerminalPane').then((m) => ({ default: m.TerminalPane })));

export function LazyTerminalPane(props: ComponentProps<typeof Pane>) {
  return (
    <Suspense
      fallback={
        <div className="term-pane" role="status">
          <Spinner /> Loading the terminal…
        </div>
      }
    >
      <Pane {...props} />
    </Suspense>
  );
}

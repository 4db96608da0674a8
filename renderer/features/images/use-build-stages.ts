import { useEffect, useState } from 'react';
import type { BuildStages } from '../../../app/contract/images-build';
import { toErrorShape } from '../../lib/errors';
import { dockerfileStages } from '../../stores/images';

export type StagesState = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; value: BuildStages } | { status: 'error'; message: string };

const WAIT_MS = 300;
const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');

/**
 * The stages of the chosen Dockerfile, read by the core once the folder and the Dockerfile stop changing
 * (300 ms after the last keystroke); an answer for an older folder or Dockerfile is dropped.
 */
export function useBuildStages(contextDir: string, dockerfile: string): StagesState {
  const [state, setState] = useState<StagesState>({ status: 'idle' });
  const dir = contextDir.trim();
  const file = dockerfile.trim() || 'Dockerfile';
  useEffect(() => {
    if (!isAbsolute(dir)) {
      setState({ status: 'idle' });
      return;
    }
    let live = true;
    setState({ status: 'loading' });
    const t = setTimeout(() => {
      dockerfileStages(dir, file).then(
        (value) => live && setState({ status: 'ready', value }),
        (e: unknown) => live && setState({ status: 'error', message: toErrorShape(e).message }),
      );
    }, WAIT_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [dir, file]);
  return state;
}

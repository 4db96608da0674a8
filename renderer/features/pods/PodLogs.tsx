import { useEffect, useRef, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { PodDetails } from '../../../app/contract/pods';
import { CheckboxField, ErrorBanner } from '../../components';
import { subscribe } from '../../lib/rpc';

/** Most characters kept on screen; older output scrolls away (the kubelet keeps the whole log). */
const KEEP = 512 * 1024;

/** A container's log as the kubelet serves it: the container picker, follow, and the previous instance's log. */
export function PodLogs({ namespace, name, containers }: { namespace: string; name: string; containers: PodDetails['containers'] }) {
  const [container, setContainer] = useState(containers.find((c) => !c.init)?.name ?? containers[0]?.name ?? '');
  const [follow, setFollow] = useState(true);
  const [previous, setPrevious] = useState(false);
  const [text, setText] = useState('');
  const [state, setState] = useState<'loading' | 'following' | 'ended'>('loading');
  const [error, setError] = useState<ErrorShape | null>(null);
  const pre = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);

  useEffect(() => {
    if (!container) return;
    setText('');
    setError(null);
    setState('loading');
    // A previous instance's log is complete: nothing to follow.
    const following = follow && !previous;
    return subscribe(
      'pods.logs',
      { namespace, name, container, follow: following, ...(previous ? { previous: true } : {}), tailLines: 5000 },
      {
        onData: (c) => {
          if (c.type === 'end') setState('ended');
          else {
            setState(following ? 'following' : 'loading');
            setText((t) => (t.length + c.text.length > KEEP ? (t + c.text).slice(-KEEP) : t + c.text));
          }
        },
        onError: (e) => (setError(e as ErrorShape), setState('ended')),
        onEnd: () => setState('ended'),
        // The stream starts over after a reconnect.
        onResubscribe: () => setText(''),
      },
    );
  }, [namespace, name, container, follow, previous]);

  useEffect(() => {
    const el = pre.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [text]);

  return (
    <div className="pod-logs">
      <div className="pod-logs-bar">
        <label className="pods-ns">
          Container{' '}
          <select aria-label="Container" className="input" value={container} onChange={(e) => setContainer(e.target.value)}>
            {containers.map((c) => (
              <option key={c.name} value={c.name}>{c.name}{c.init ? ' (init)' : ''}</option>
            ))}
          </select>
        </label>
        <CheckboxField label="Follow" checked={follow && !previous} disabled={previous} onChange={setFollow} />
        <CheckboxField label="Previous instance" hint={undefined} checked={previous} onChange={setPrevious} />
        <span className="muted" aria-live="polite" data-testid="pod-logs-state">
          {state === 'following' ? 'Following' : state === 'ended' ? 'End of log' : 'Loading…'}
        </span>
      </div>
      {error && <ErrorBanner error={error} title={previous ? 'No log of a previous instance' : 'Cannot read the log'} />}
      <pre
        ref={pre}
        className="pod-log-text mono"
        data-testid="pod-log"
        tabIndex={0}
        aria-label={`Log of ${container}`}
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {text || (state === 'ended' && !error ? 'The log is empty.' : '')}
      </pre>
    </div>
  );
}

import { useEffect, useState } from 'react';
import { IconButton } from './IconButton';
import { IconCheck, IconCopy } from './Icons';
import { notify } from '../stores/toasts';

/** Copies `text` to the clipboard; `label` says what, e.g. "Copy container id". */
export function CopyButton({ text, label = 'Copy', size = 'sm' }: { text: string; label?: string; size?: 'sm' | 'md' }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(t);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch (e) {
      notify.error('Could not copy to the clipboard', { code: 'PERMISSION_DENIED', message: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <IconButton
      label={copied ? 'Copied' : label}
      icon={copied ? <IconCheck /> : <IconCopy />}
      size={size}
      className={copied ? 'is-copied' : undefined}
      onClick={() => void copy()}
    />
  );
}

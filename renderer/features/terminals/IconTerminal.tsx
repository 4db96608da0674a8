/** A prompt in a window: the icon of terminal actions (same drawing rules as components/Icons). */
export function IconTerminal({ size = '1em' }: { size?: number | string }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.4} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" className="icon">
      <rect x="1.75" y="2.75" width="12.5" height="10.5" rx="1.5" />
      <path d="m4.5 6.5 2 1.75-2 1.75M8 10.25h3.5" />
    </svg>
  );
}

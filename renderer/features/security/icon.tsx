/** A shield, in the style of components/Icons (16×16, stroked with currentColor, decorative). */
export function IconSecurity({ size = '1em' }: { size?: number | string }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.4} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" className="icon">
      <path d="M8 1.8 13 3.6v4.1c0 3.1-2.1 5.4-5 6.5-2.9-1.1-5-3.4-5-6.5V3.6z" />
      <path d="m5.8 8 1.6 1.6 2.9-3" />
    </svg>
  );
}

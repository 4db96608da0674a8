import type { ReactNode } from 'react';

/** Icons of the images page, drawn like components/Icons (16×16, stroked, decorative). */
function icon(body: ReactNode) {
  return (
    <svg width="1em" height="1em" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.4} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" className="icon">
      {body}
    </svg>
  );
}

export const IconTag = () =>
  icon(
    <>
      <path d="M2.5 2.5h5l6 6-5 5-6-6z" />
      <circle cx="5.25" cy="5.25" r="0.9" />
    </>,
  );
export const IconPush = () =>
  icon(
    <>
      <path d="M8 10.5V2.5M5 5.5l3-3 3 3" />
      <path d="M2.5 10v3.5h11V10" />
    </>,
  );
export const IconPull = () =>
  icon(
    <>
      <path d="M8 2.5v8M5 7.5l3 3 3-3" />
      <path d="M2.5 10v3.5h11V10" />
    </>,
  );
export const IconBuild = () =>
  icon(
    <>
      <path d="M2.5 13.5h11" />
      <path d="M3.5 13.5v-4h4v4M7.5 13.5v-7h5v7" />
      <path d="M5.5 9.5v-3h2" />
    </>,
  );
export const IconLayers = () =>
  icon(
    <>
      <path d="M8 2.5 14 5.5 8 8.5 2 5.5z" />
      <path d="M2 8.5l6 3 6-3M2 11l6 3 6-3" />
    </>,
  );

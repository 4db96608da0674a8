import type { ReactNode, SVGProps } from 'react';

/**
 * Inline SVG icons (no icon font): 16×16, stroked with currentColor, decorative by default
 * (aria-hidden). Give the surrounding control the accessible name, not the icon.
 */
export type IconProps = Omit<SVGProps<SVGSVGElement>, 'children'> & { size?: number | string };

function make(name: string, body: ReactNode) {
  const Icon = ({ size = '1em', ...rest }: IconProps) => (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.4}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      className="icon"
      {...rest}
    >
      {body}
    </svg>
  );
  Icon.displayName = `Icon${name}`;
  return Icon;
}

export const IconContainers = make(
  'Containers',
  <>
    <path d="M2.5 4.5 8 2l5.5 2.5v7L8 14l-5.5-2.5z" />
    <path d="M2.5 4.5 8 7l5.5-2.5M8 7v7" />
  </>,
);
export const IconImages = make(
  'Images',
  <>
    <path d="M8 2 14 5 8 8 2 5z" />
    <path d="M2 8l6 3 6-3M2 11l6 3 6-3" />
  </>,
);
export const IconVolumes = make(
  'Volumes',
  <>
    <ellipse cx="8" cy="3.75" rx="5.5" ry="1.75" />
    <path d="M2.5 3.75v8.5c0 1 2.5 1.75 5.5 1.75s5.5-.75 5.5-1.75v-8.5M2.5 8c0 1 2.5 1.75 5.5 1.75S13.5 9 13.5 8" />
  </>,
);
export const IconNetworks = make(
  'Networks',
  <>
    <circle cx="8" cy="3" r="1.5" />
    <circle cx="3" cy="13" r="1.5" />
    <circle cx="13" cy="13" r="1.5" />
    <path d="M8 4.5v3.5M8 8l-4 3.75M8 8l4 3.75" />
  </>,
);
export const IconPods = make(
  'Pods',
  <>
    <rect x="2" y="2" width="5" height="5" rx="1" />
    <rect x="9" y="2" width="5" height="5" rx="1" />
    <rect x="2" y="9" width="5" height="5" rx="1" />
    <rect x="9" y="9" width="5" height="5" rx="1" />
  </>,
);
export const IconVm = make(
  'Vm',
  <>
    <rect x="1.75" y="2.5" width="12.5" height="8.5" rx="1.25" />
    <path d="M5.5 13.75h5M8 11v2.75" />
  </>,
);
export const IconSearch = make(
  'Search',
  <>
    <circle cx="7" cy="7" r="4.25" />
    <path d="m10.25 10.25 3.5 3.5" />
  </>,
);
export const IconClose = make('Close', <path d="m4 4 8 8M12 4l-8 8" />);
export const IconCheck = make('Check', <path d="m3 8.5 3.25 3.25L13 5" />);
export const IconChevronDown = make('ChevronDown', <path d="m4 6 4 4 4-4" />);
export const IconChevronRight = make('ChevronRight', <path d="m6 4 4 4-4 4" />);
export const IconArrowUp = make('ArrowUp', <path d="M8 13V3M4 7l4-4 4 4" />);
export const IconArrowDown = make('ArrowDown', <path d="M8 3v10M4 9l4 4 4-4" />);
export const IconCopy = make(
  'Copy',
  <>
    <rect x="5.5" y="5.5" width="8" height="8" rx="1.25" />
    <path d="M10.5 5.5V3.75c0-.7-.55-1.25-1.25-1.25h-5.5c-.7 0-1.25.55-1.25 1.25v5.5c0 .7.55 1.25 1.25 1.25H5.5" />
  </>,
);
export const IconWarning = make(
  'Warning',
  <>
    <path d="M8 2.25 14.5 13.5h-13z" />
    <path d="M8 6.5v3.25M8 11.75v.01" />
  </>,
);
export const IconError = make(
  'Error',
  <>
    <circle cx="8" cy="8" r="6" />
    <path d="M8 4.75v4M8 11.25v.01" />
  </>,
);
export const IconInfo = make(
  'Info',
  <>
    <circle cx="8" cy="8" r="6" />
    <path d="M8 7.25v4M8 4.75v.01" />
  </>,
);
export const IconRefresh = make(
  'Refresh',
  <>
    <path d="M13.25 8a5.25 5.25 0 1 1-1.54-3.71" />
    <path d="M13.25 2.5v3h-3" />
  </>,
);
export const IconPlay = make('Play', <path d="M4.5 2.75v10.5L13 8z" />);
export const IconPause = make('Pause', <path d="M5.5 3.5v9M10.5 3.5v9" />);
export const IconStop = make('Stop', <rect x="3.5" y="3.5" width="9" height="9" rx="1" />);
export const IconTrash = make(
  'Trash',
  <>
    <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.75 9.5h6.5L12 4" />
    <path d="M6.75 6.75v4.5M9.25 6.75v4.5" />
  </>,
);
export const IconMore = make(
  'More',
  <>
    <circle cx="3.5" cy="8" r=".6" fill="currentColor" />
    <circle cx="8" cy="8" r=".6" fill="currentColor" />
    <circle cx="12.5" cy="8" r=".6" fill="currentColor" />
  </>,
);
export const IconCommand = make(
  'Command',
  <path d="M6 6V4a2 2 0 1 0-2 2h8a2 2 0 1 0-2-2v8a2 2 0 1 0 2-2H4a2 2 0 1 0 2 2z" />,
);
export const IconSun = make(
  'Sun',
  <>
    <circle cx="8" cy="8" r="3" />
    <path d="M8 1.5v1.25M8 13.25v1.25M1.5 8h1.25M13.25 8h1.25M3.4 3.4l.9.9M11.7 11.7l.9.9M3.4 12.6l.9-.9M11.7 4.3l.9-.9" />
  </>,
);
export const IconMoon = make('Moon', <path d="M13.25 9.6A5.5 5.5 0 0 1 6.4 2.75a5.5 5.5 0 1 0 6.85 6.85z" />);
export const IconMonitor = make(
  'Monitor',
  <>
    <rect x="1.75" y="2.5" width="12.5" height="8.5" rx="1.25" />
    <path d="M5.5 13.75h5" />
  </>,
);
export const IconKeyboard = make(
  'Keyboard',
  <>
    <rect x="1.5" y="3.75" width="13" height="8.5" rx="1.25" />
    <path d="M4 6.5h.01M6.5 6.5h.01M9 6.5h.01M11.5 6.5h.01M5 9.5h6" />
  </>,
);
export const IconPlus = make('Plus', <path d="M8 3v10M3 8h10" />);
export const IconMinus = make('Minus', <path d="M3 8h10" />);
export const IconExternal = make(
  'External',
  <>
    <path d="M9.5 2.5h4v4M13.5 2.5 8 8" />
    <path d="M12 9.5v3c0 .55-.45 1-1 1H3.5c-.55 0-1-.45-1-1V5c0-.55.45-1 1-1h3" />
  </>,
);
export const IconBerth = make(
  'Berth',
  <>
    <path d="M1.75 10.25h12.5l-1.5 3H3.25z" />
    <path d="M4 10.25V6.5h3.5v3.75M8.5 10.25V4h3.5v6.25" />
  </>,
);

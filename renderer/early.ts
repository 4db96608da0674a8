import { startEarlyLink } from './lib/early-link';

// The page's first script (its own small chunk, see vite.config.ts): the socket to the core opens
// and the first page's list is asked for while the app's bundle still loads.
startEarlyLink();

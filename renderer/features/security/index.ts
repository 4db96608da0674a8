export { SecurityPage } from './SecurityPage';
export { SecurityPanel } from './SecurityPanel';
export { PostureBadge } from './PostureBadge';
export { postureColumn } from './posture-column';
export { IconSecurity } from './icon';

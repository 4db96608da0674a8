/** What the browser allows for notifications, in words (the desktop app needs no permission). */
export function notificationPermissionNote(desktop: boolean): string {
  if (desktop) return '';
  if (typeof Notification === 'undefined') return 'This browser has no desktop notifications.';
  if (Notification.permission === 'denied') return 'The browser blocks notifications for this page; allow them in its site settings.';
  if (Notification.permission === 'default') return 'The browser asks for permission the first time.';
  return '';
}

/**
 * System notifications when the station runs as the web host, through the browser's Notification
 * API. Browsers grant the permission only in answer to a click, so it is asked on Start all, Start
 * and Retry. In the Electron app main shows notifications itself and the shell refuses the
 * window's permission checks, so the window never shows a second one there.
 */
export function primeNotifications(): void {
  try {
    if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
    void Notification.requestPermission().catch(() => undefined);
  } catch {
    // No notifications in this browser: the sound and the tile still tell.
  }
}

/** Shows one notification; false when the browser has none or the technician refused them. */
export function showWebNotification(title: string, body: string, tag: string): boolean {
  try {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return false;
    // Silent: the window plays its own pass or fail sound, one sound rather than two. The tag makes
    // a lane's next outcome replace its last one instead of piling up.
    new Notification(title, { body, tag, silent: true });
    return true;
  } catch {
    return false;
  }
}

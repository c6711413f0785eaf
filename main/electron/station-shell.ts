import type { Dialog, Notification as ElectronNotification, NotificationConstructorOptions } from 'electron';
import type { EventPayload } from '../../common/contract';
import type { EventHub } from '../host/event-hub';
import type { SaveFilePicker } from '../station';

/** Electron's save dialog for History exports; undefined when the technician cancels. */
export async function saveFileDialog(
  dialog: Pick<Dialog, 'showSaveDialog'>,
  suggestion: Parameters<SaveFilePicker>[0],
): Promise<string | undefined> {
  const answer = await dialog.showSaveDialog({ defaultPath: suggestion.defaultName, filters: suggestion.filters });
  return answer.canceled || !answer.filePath ? undefined : answer.filePath;
}

type NotificationClass = {
  new (options: NotificationConstructorOptions): Pick<ElectronNotification, 'show'>;
  isSupported(): boolean;
};

/**
 * A lane's pass or fail as a system notification. The window never asks for notification
 * permission (the shell denies every permission request by design): main shows them itself, from
 * the contract event, when the technician left them on. Returns the unsubscribe.
 */
export function showStationNotifications(events: EventHub, NotificationClass: NotificationClass): () => void {
  return events.subscribe((event, payload) => {
    if (event !== 'station.notify') return;
    const notice = payload as EventPayload<'station.notify'>;
    if (!notice.notification || !NotificationClass.isSupported()) return;
    // The window plays its own sound; the notification stays silent so there is one sound, not two.
    new NotificationClass({ title: notice.title, body: notice.body, silent: true }).show();
  });
}

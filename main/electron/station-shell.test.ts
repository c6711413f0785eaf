import { describe, expect, it } from 'vitest';
import { EventHub } from '../host/event-hub';
import { saveFileDialog, showStationNotifications } from './station-shell';

describe('station shell', () => {
  it('shows a silent system notification for a lane outcome, only when the technician left them on', () => {
    const shown: Array<{ title: string; body?: string; silent?: boolean }> = [];
    class FakeNotification {
      constructor(readonly options: { title: string; body?: string; silent?: boolean }) {}
      static isSupported() {
        return true;
      }
      show() {
        shown.push(this.options);
      }
    }
    const events = new EventHub();
    const stop = showStationNotifications(events, FakeNotification as never);
    const notice = {
      laneId: 'lane-1',
      port: '/dev/ttyUSB0',
      outcome: 'failed' as const,
      title: 'Failed: KL-1',
      body: 'No network',
      sound: true,
    };
    events.emit('station.notify', { ...notice, notification: true });
    events.emit('station.notify', { ...notice, notification: false });
    stop();
    events.emit('station.notify', { ...notice, notification: true });
    expect(shown).toEqual([{ title: 'Failed: KL-1', body: 'No network', silent: true }]);
  });

  it('answers the chosen path of the save dialog, or nothing when cancelled', async () => {
    const suggestion = { defaultName: 'journal.csv', filters: [{ name: 'CSV', extensions: ['csv'] }] };
    const chosen = await saveFileDialog(
      { showSaveDialog: async () => ({ canceled: false, filePath: '/tmp/j.csv' }) } as never,
      suggestion,
    );
    const cancelled = await saveFileDialog(
      { showSaveDialog: async () => ({ canceled: true, filePath: '' }) } as never,
      suggestion,
    );
    expect([chosen, cancelled]).toEqual(['/tmp/j.csv', undefined]);
  });
});

import { useEffect, useState, type FormEvent } from 'react';
import type { AppInfo, KeylineApi, StationPrefs } from '../../../../common/contract';

/** Sandbox or a real platform, sounds and notifications, the scanner, and which USB adapters count as serial ports. */
export function StationPrefsPanel({ keyline, info }: { keyline: KeylineApi; info: AppInfo | undefined }) {
  const [draft, setDraft] = useState<StationPrefs>();
  const [usbIds, setUsbIds] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string }>();

  useEffect(() => {
    let live = true;
    void keyline.invoke('station.getPrefs', {}).then((result) => {
      if (!live) return;
      if (result.ok) {
        setDraft(result.value);
        setUsbIds(result.value.usbIds.join('\n'));
      } else {
        setNote({ ok: false, text: result.error.message });
      }
    });
    return () => {
      live = false;
    };
  }, [keyline]);

  if (!draft) return <section className="panel">{note?.text ?? 'Loading the station preferences…'}</section>;
  const set = (patch: Partial<StationPrefs>) => setDraft({ ...draft, ...patch });
  const runningSandbox = info?.sandbox ?? false;
  const pendingSwitch = (draft.platformMode === 'sandbox') !== runningSandbox;

  const save = (event: FormEvent) => {
    event.preventDefault();
    const ids = [
      ...new Set(
        usbIds
          .split(/[\s,]+/)
          .map((entry) => entry.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    void keyline.invoke('station.setPrefs', { ...draft, usbIds: ids }).then((result) => {
      if (result.ok) {
        setDraft(result.value);
        setUsbIds(result.value.usbIds.join('\n'));
        setNote({ ok: true, text: 'Saved.' });
      } else {
        setNote({ ok: false, text: result.error.message });
      }
    });
  };

  return (
    <form className="panel settings-form" aria-labelledby="station-prefs-title" onSubmit={save}>
      <h2 id="station-prefs-title">Station</h2>
      <fieldset className="choices">
        <legend>Platform</legend>
        <label className="check">
          <input
            type="radio"
            name="platform-mode"
            checked={draft.platformMode === 'sandbox'}
            onChange={() => set({ platformMode: 'sandbox' })}
          />
          Sandbox: a simulated platform and four simulated devices on this computer
        </label>
        <label className="check">
          <input
            type="radio"
            name="platform-mode"
            checked={draft.platformMode === 'platform'}
            onChange={() => set({ platformMode: 'platform' })}
          />
          Real platform: the profile you sign in to above, and real devices
        </label>
        {pendingSwitch && (
          <p className="notice notice-warn" role="status">
            Applies when Keyline starts next time
            {draft.platformMode === 'platform' ? '; then sign in to a real profile above' : ''}.
          </p>
        )}
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={draft.sounds} onChange={(event) => set({ sounds: event.target.checked })} />A
        sound on every pass and fail
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.notifications}
          onChange={(event) => set({ notifications: event.target.checked })}
        />
        A system notification on every pass and fail (in a browser, allow notifications when it asks)
      </label>
      <label className="field">
        Scans that start with this are work orders
        <input
          value={draft.workOrderPrefix}
          maxLength={20}
          onChange={(event) => set({ workOrderPrefix: event.target.value })}
        />
        <span className="hint">
          Anything else scanned is a serial number, checked against the hwid of the selected lane.
        </span>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.allowUnknownAdapters}
          onChange={(event) => set({ allowUnknownAdapters: event.target.checked })}
        />
        Offer USB serial devices that are not known adapters (CP210x, CH34x, FTDI, CDC-ACM) too
      </label>
      <label className="field">
        Extra USB adapters (vendor:product, one per line)
        <textarea rows={2} value={usbIds} onChange={(event) => setUsbIds(event.target.value)} placeholder="1a86:55d4" />
      </label>
      <div className="toolbar">
        <button type="submit" className="btn btn-primary">
          Save station preferences
        </button>
        <span className={note?.ok === false ? 'notice notice-error' : 'muted'} role="status">
          {note?.text ?? ''}
        </span>
      </div>
    </form>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import type { KeylineApi, ProvisioningSettings } from '../../../../common/contract';

/** How batches provision: device names, registration, verification, the already-provisioned policy, watched ports. */
export function ProvisioningSettingsPanel({ keyline }: { keyline: KeylineApi }) {
  const [saved, setSaved] = useState<ProvisioningSettings>();
  const [draft, setDraft] = useState<ProvisioningSettings>();
  const [watched, setWatched] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string }>();

  useEffect(() => {
    let live = true;
    void keyline.invoke('provisioning.getSettings', {}).then((result) => {
      if (!live) return;
      if (result.ok) {
        setSaved(result.value);
        setDraft(result.value);
        setWatched(result.value.watchedPorts.join('\n'));
      } else {
        setNote({ ok: false, text: result.error.message });
      }
    });
    return () => {
      live = false;
    };
  }, [keyline]);

  if (!draft || !saved)
    return <section className="panel">{note?.text ?? 'Loading the provisioning settings…'}</section>;
  const set = (patch: Partial<ProvisioningSettings>) => setDraft({ ...draft, ...patch });

  const save = (event: FormEvent) => {
    event.preventDefault();
    const watchedPorts = [
      ...new Set(
        watched
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
      ),
    ];
    const { applicationId: _ignored, mqttBroker, ...rest } = draft;
    void keyline
      .invoke('provisioning.setSettings', {
        ...rest,
        watchedPorts,
        ...(mqttBroker?.trim() ? { mqttBroker: mqttBroker.trim() } : {}),
      })
      .then((result) => {
        if (result.ok) {
          setSaved(result.value);
          setDraft(result.value);
          setNote({ ok: true, text: 'Saved. New runs use these settings.' });
        } else {
          setNote({ ok: false, text: result.error.message });
        }
      });
  };

  return (
    <form className="panel settings-form" aria-labelledby="provisioning-settings-title" onSubmit={save}>
      <h2 id="provisioning-settings-title">Provisioning</h2>
      <label className="field">
        Device name template
        <input
          value={draft.deviceNameTemplate}
          maxLength={200}
          onChange={(event) => set({ deviceNameTemplate: event.target.value })}
        />
        <span className="hint">
          {'{model}'}, {'{hwid}'} and {'{firmware}'} are replaced, e.g. {'{model}-{hwid}'}.
        </span>
      </label>
      <fieldset className="choices">
        <legend>Devices missing on the platform</legend>
        <label className="check">
          <input
            type="radio"
            name="registration"
            checked={draft.registration === 'create'}
            onChange={() => set({ registration: 'create' })}
          />
          Create them (standalone, named from the template, tagged with their hwid)
        </label>
        <label className="check">
          <input
            type="radio"
            name="registration"
            checked={draft.registration === 'pre-registered'}
            onChange={() => set({ registration: 'pre-registered' })}
          />
          Require them to be pre-registered with an hwid tag (a missing one fails its lane)
        </label>
      </fieldset>
      <fieldset className="choices">
        <legend>Verification</legend>
        <label className="check">
          <input
            type="radio"
            name="verify"
            checked={draft.verifyMode === 'device'}
            onChange={() => set({ verifyMode: 'device' })}
          />
          The device connects and reports (proves its own path; the default)
        </label>
        <label className="check">
          <input
            type="radio"
            name="verify"
            checked={draft.verifyMode === 'station'}
            onChange={() => set({ verifyMode: 'station' })}
          />
          The station authenticates with the key (bench without network; recorded as not proven by the device)
        </label>
      </fieldset>
      <label className="field">
        When a device already has credentials
        <select
          value={draft.ifProvisioned}
          onChange={(event) => set({ ifProvisioned: event.target.value as ProvisioningSettings['ifProvisioned'] })}
        >
          <option value="ask">Ask on its tile</option>
          <option value="rotate">Rotate its key</option>
          <option value="skip">Skip it</option>
        </select>
      </label>
      <label className="field">
        After a rotation, the old key is
        <select
          value={draft.retireOldKey}
          onChange={(event) => set({ retireOldKey: event.target.value as ProvisioningSettings['retireOldKey'] })}
        >
          <option value="deactivate">Deactivated (can be turned back on)</option>
          <option value="delete">Deleted</option>
        </select>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.autoStart}
          onChange={(event) => set({ autoStart: event.target.checked })}
        />
        Start a lane by itself when a device is plugged into a watched port
      </label>
      <label className="field">
        Watched ports (one per line: a path, a USB serial number or a lane key)
        <textarea rows={3} value={watched} onChange={(event) => setWatched(event.target.value)} />
        <span className="hint">Paths added here are offered even when they are pseudo-terminals.</span>
      </label>
      <label className="field">
        MQTT broker written to devices (optional)
        <input
          value={draft.mqttBroker ?? ''}
          onChange={(event) => set({ mqttBroker: event.target.value })}
          placeholder="mqtts://broker.example.com"
        />
      </label>
      <div className="toolbar">
        <button type="submit" className="btn btn-primary">
          Save provisioning settings
        </button>
        <span className={note?.ok === false ? 'notice notice-error' : 'muted'} role="status">
          {note?.text ?? ''}
        </span>
      </div>
    </form>
  );
}

import { useEffect, useState } from 'react';
import type { DecommissionResult, DeviceCheck, KeylineApi, LaneView, StationState } from '../../../common/contract';
import type { ErrorInfo } from '../../../common/errors';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyButton } from '../components/CopyButton';
import { OutcomeBadge } from '../components/OutcomeBadge';
import { STEP_WORDS } from '../components/station/tiles';
import '../components/devices/devices.css';

const STATE_WORDS: Record<DeviceCheck['state'], string> = {
  unprovisioned: 'No credentials',
  provisioned: 'Provisioned, key active',
  'key-not-active': 'Key not active: cannot connect',
  interrupted: 'Interrupted run',
  unknown: 'Platform not reachable',
};

/**
 * For installers and returns: pick the device on a port, see its credential state from its own
 * `hello` and from the platform, rotate its key (make-before-break, confirmed first), or take it
 * out of service.
 */
export function DevicesScreen({ keyline }: { keyline: KeylineApi }) {
  const [station, setStation] = useState<StationState>();
  const [port, setPort] = useState('');
  const [check, setCheck] = useState<DeviceCheck>();
  const [error, setError] = useState<ErrorInfo>();
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<'rotate' | 'decommission'>();
  const [platformDevice, setPlatformDevice] = useState<'untag' | 'delete'>('untag');
  const [laneId, setLaneId] = useState<string>();
  const [lane, setLane] = useState<LaneView>();
  const [result, setResult] = useState<DecommissionResult>();
  const [retire, setRetire] = useState<'deactivate' | 'delete'>('deactivate');

  useEffect(() => {
    let live = true;
    void keyline.invoke('station.state', {}).then((answer) => live && answer.ok && setStation(answer.value));
    void keyline
      .invoke('provisioning.getSettings', {})
      .then((answer) => live && answer.ok && setRetire(answer.value.retireOldKey));
    const offs = [
      keyline.on('station.state', setStation),
      keyline.on('provisioning.laneUpdated', (view) =>
        setLane((current) => (current?.id === view.id ? view : current)),
      ),
    ];
    return () => {
      live = false;
      offs.forEach((off) => off());
    };
  }, [keyline]);

  useEffect(() => {
    if (!laneId) return;
    return keyline.on('provisioning.laneFinished', (view) => {
      if (view.id !== laneId) return;
      setLane(view);
      void keyline.invoke('device.check', { port: view.port }).then((answer) => answer.ok && setCheck(answer.value));
    });
  }, [keyline, laneId]);

  const ports = station?.ports ?? [];
  const chosen = port || ports[0]?.path || '';

  const run = async <T,>(action: () => Promise<{ ok: true; value: T } | { ok: false; error: ErrorInfo }>) => {
    setBusy(true);
    setError(undefined);
    const answer = await action();
    setBusy(false);
    if (!answer.ok) {
      setError(answer.error);
      return undefined;
    }
    return answer.value;
  };

  const doCheck = () => {
    setResult(undefined);
    void run(() => keyline.invoke('device.check', { port: chosen })).then((value) => setCheck(value));
  };

  const doRotate = () => {
    setConfirm(undefined);
    void run(() => keyline.invoke('device.rotate', { port: chosen })).then((value) => {
      if (!value) return;
      setLaneId(value.lane.id);
      setLane(value.lane);
    });
  };

  const doDecommission = () => {
    setConfirm(undefined);
    void run(() => keyline.invoke('device.decommission', { port: chosen, platformDevice })).then((value) => {
      if (!value) return;
      setResult(value);
      setCheck(undefined);
    });
  };

  const inUse = check?.keys.find((key) => key.inUse);
  return (
    <div className="devices-screen">
      <p className="lead">Check a device's credentials, rotate its key, or take a returned unit out of service.</p>
      <section className="panel" aria-labelledby="pick-title">
        <h2 id="pick-title">Device</h2>
        <div className="toolbar">
          <label className="field">
            Port
            <select value={chosen} onChange={(event) => setPort(event.target.value)}>
              {ports.map((entry) => (
                <option key={entry.path} value={entry.path}>
                  {entry.path} — {entry.label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn btn-primary" disabled={!chosen || busy} onClick={doCheck}>
            Check credentials
          </button>
        </div>
        {ports.length === 0 && <p className="muted">No port found: plug the device in.</p>}
        {error && (
          <p className="notice notice-error" role="alert" data-testid="devices-error">
            {error.message}
          </p>
        )}
      </section>

      {check && (
        <section className="panel" aria-labelledby="state-title" data-testid="device-check">
          <div className="section-head">
            <h2 id="state-title">
              <span className="mono">{check.hwid}</span>{' '}
              <span className="muted">
                {check.model}, firmware {check.firmware}
              </span>
            </h2>
            <span
              className={`outcome ${check.state === 'provisioned' ? 'outcome-passed' : check.state === 'unprovisioned' ? '' : 'outcome-failed'}`}
              data-testid="credential-state"
            >
              {STATE_WORDS[check.state]}
            </span>
          </div>
          <p data-testid="credential-summary">{check.summary}</p>
          {check.platformProblem && <p className="notice notice-warn">{check.platformProblem}</p>}
          <div className="details-columns">
            <div>
              <h3>On the device (from its hello)</h3>
              <dl className="facts">
                {(['active', 'staged', 'previous'] as const).map((name) => {
                  const slot = check.slots[name];
                  return (
                    <div key={name} className="slot">
                      <dt>{name}</dt>
                      <dd>
                        {slot ? (
                          <>
                            device <span className="mono">{slot.deviceId}</span>, key id{' '}
                            <span className="mono">{slot.keyId ?? 'not given'}</span>, fingerprint{' '}
                            <span className="mono">{slot.fingerprintPrefix}</span>
                          </>
                        ) : (
                          'empty'
                        )}
                      </dd>
                    </div>
                  );
                })}
              </dl>
            </div>
            <div>
              <h3>On the platform</h3>
              {check.platformDevice ? (
                <dl className="facts">
                  <dt>Device</dt>
                  <dd>
                    {check.platformDevice.name} <span className="mono">{check.platformDevice.id}</span>
                    <CopyButton text={check.platformDevice.id} label="device id" />
                  </dd>
                  <dt>Class</dt>
                  <dd>{check.platformDevice.deviceClass}</dd>
                </dl>
              ) : (
                <p className="muted">No platform device carries this unit's hwid tag.</p>
              )}
              {check.keys.length > 0 && (
                <table className="data-table" data-testid="device-keys">
                  <thead>
                    <tr>
                      <th scope="col">Access key id</th>
                      <th scope="col">Status</th>
                      <th scope="col">Scope</th>
                      <th scope="col">In use</th>
                    </tr>
                  </thead>
                  <tbody>
                    {check.keys.map((key) => (
                      <tr key={key.id}>
                        <td className="mono">
                          {key.id}
                          <CopyButton text={key.id} label="access key id" />
                        </td>
                        <td>{key.status}</td>
                        <td>{key.exclusive ? 'this device only' : 'shared with other devices'}</td>
                        <td>{key.inUse ? 'yes' : ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          </div>
          <div className="toolbar">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => setConfirm('rotate')}>
              {check.state === 'unprovisioned' ? 'Provision it…' : 'Rotate credentials…'}
            </button>
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => setConfirm('decommission')}>
              Decommission…
            </button>
          </div>
        </section>
      )}

      {lane && (
        <section className="panel" aria-labelledby="rotation-title" aria-live="polite" data-testid="rotation-progress">
          <h2 id="rotation-title">Rotation</h2>
          <p>
            <OutcomeBadge outcome={lane.state} /> {lane.state === 'running' && lane.step ? STEP_WORDS[lane.step] : ''}
            {lane.state === 'waiting' && lane.question ? lane.question.message : ''}
          </p>
          {lane.error && (
            <p className="notice notice-error">
              <code>{lane.error.code}</code> {lane.error.message}
            </p>
          )}
          {lane.state === 'passed' && (
            <p className="notice notice-pass">
              The device now runs on key <span className="mono">{lane.keyId}</span>.
            </p>
          )}
        </section>
      )}

      {result && (
        <section
          className="panel"
          aria-labelledby="decommission-title"
          aria-live="polite"
          data-testid="decommission-result"
        >
          <h2 id="decommission-title">
            Decommission <OutcomeBadge outcome={result.outcome} />
          </h2>
          <ol className="timeline">
            {result.steps.map((step) => (
              <li key={step.step} data-status={step.status}>
                <strong>{step.step}</strong> {step.status}: {step.message}
              </li>
            ))}
          </ol>
        </section>
      )}

      {confirm === 'rotate' && check && (
        <ConfirmDialog
          title={
            check.state === 'unprovisioned' ? `Provision ${check.hwid}?` : `Rotate the credentials of ${check.hwid}?`
          }
          confirmLabel={check.state === 'unprovisioned' ? 'Provision' : 'Rotate'}
          busy={busy}
          onConfirm={doRotate}
          onCancel={() => setConfirm(undefined)}
        >
          {check.state === 'unprovisioned' ? (
            <p>A new access key is created for this device alone, written to it and proven before it becomes active.</p>
          ) : (
            <>
              <p>
                A new access key is created for this device alone, written to it and proven first. The device keeps
                working on its current key until then.
              </p>
              <p data-testid="old-key-fate">
                {inUse
                  ? inUse.exclusive
                    ? `Then the old key ${inUse.id} is ${retire === 'delete' ? 'deleted' : 'deactivated'}: anything else still using it stops working.`
                    : `The old key ${inUse.id} is shared with other devices: it is left alone.`
                  : 'The old key is not known on the platform: nothing else changes.'}
              </p>
              <p>If any step fails, the new key is revoked and the device stays on its old key.</p>
            </>
          )}
        </ConfirmDialog>
      )}

      {confirm === 'decommission' && check && (
        <ConfirmDialog
          title={`Decommission ${check.hwid}?`}
          confirmLabel="Decommission"
          danger
          busy={busy}
          onConfirm={doDecommission}
          onCancel={() => setConfirm(undefined)}
        >
          <p>
            This erases the credentials from the device and deletes its own access key
            {check.keys.filter((key) => key.exclusive).length > 1 ? 's' : ''} on the platform (shared keys are left
            alone). It cannot be undone; it is recorded in the journal.
          </p>
          <fieldset className="choices">
            <legend>The platform device</legend>
            <label className="check">
              <input
                type="radio"
                name="platform-device"
                checked={platformDevice === 'untag'}
                onChange={() => setPlatformDevice('untag')}
              />
              Keep it, remove its hwid tag and mark it decommissioned
            </label>
            <label className="check">
              <input
                type="radio"
                name="platform-device"
                checked={platformDevice === 'delete'}
                onChange={() => setPlatformDevice('delete')}
              />
              Delete it (its history on the platform goes too)
            </label>
          </fieldset>
        </ConfirmDialog>
      )}
    </div>
  );
}

import { useId, useState, type FormEvent } from 'react';
import type { KeylineApi } from '../../../../common/contract';
import { CallStatus } from './CallStatus';
import { DiagnosisView } from './DiagnosisView';
import { SideBySide } from './SideBySide';
import { useCall, type CallState } from './useCall';
import type { Diagnosis } from '../../../../common/contract';

/**
 * A device on a serial port: ask it who it is and compare with the platform, or diagnose why it
 * cannot connect; or diagnose a device by its platform id. The diagnosis lives in the screen, so
 * the device details can ask for one too.
 */
export function DevicePanel({
  keyline,
  diagnosis,
  onDiagnose,
}: {
  keyline: KeylineApi;
  diagnosis: CallState<Diagnosis>;
  onDiagnose: (args: { port: string; deviceTest: boolean } | { deviceId: string; applicationId?: string }) => void;
}) {
  const id = useId();
  const [port, setPort] = useState('');
  const [deviceTest, setDeviceTest] = useState(true);
  const [deviceId, setDeviceId] = useState('');
  const [applicationId, setApplicationId] = useState('');
  const serial = useCall(keyline, 'inspect.device.serial');

  const inspect = (event: FormEvent) => {
    event.preventDefault();
    if (port.trim()) void serial.run({ port: port.trim() });
  };
  const byId = (event: FormEvent) => {
    event.preventDefault();
    if (!deviceId.trim()) return;
    onDiagnose({ deviceId: deviceId.trim(), ...(applicationId.trim() ? { applicationId: applicationId.trim() } : {}) });
  };
  return (
    <section className="panel inspect-device" aria-labelledby="inspect-device-title">
      <h2 id="inspect-device-title">Why can't this device connect?</h2>
      <p className="lead">
        Connect the device over USB and give its port, or give its platform id. Keyline checks each cause: class, key,
        device id, secret, clock and network.
      </p>
      <form className="inspect-inline-form" onSubmit={inspect}>
        <label htmlFor={`${id}-port`}>Serial port</label>
        <input
          id={`${id}-port`}
          className="inspect-input"
          value={port}
          placeholder="/dev/ttyUSB0 or COM3"
          onChange={(event) => setPort(event.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
        <button type="submit" className="button" disabled={serial.result.state === 'loading'}>
          Compare with the platform
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={diagnosis.state === 'loading'}
          onClick={() => port.trim() && onDiagnose({ port: port.trim(), deviceTest })}
        >
          Diagnose device on port
        </button>
        <label className="token-show">
          <input type="checkbox" checked={deviceTest} onChange={(event) => setDeviceTest(event.target.checked)} />
          Let the device test its login
        </label>
      </form>
      <form className="inspect-inline-form" onSubmit={byId}>
        <label htmlFor={`${id}-device`}>Device id</label>
        <input
          id={`${id}-device`}
          className="inspect-input"
          value={deviceId}
          onChange={(event) => setDeviceId(event.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
        <label htmlFor={`${id}-app`}>Its application id</label>
        <input
          id={`${id}-app`}
          className="inspect-input"
          value={applicationId}
          placeholder="optional"
          onChange={(event) => setApplicationId(event.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
        <button type="submit" className="button button-primary" disabled={diagnosis.state === 'loading'}>
          Diagnose by id
        </button>
      </form>
      <CallStatus result={serial.result} what="the device" />
      {serial.result.state === 'done' && <SideBySide inspection={serial.result.value} />}
      <div role="status" aria-live="polite" className="visually-hidden">
        {diagnosis.state === 'done' ? diagnosis.value.summary : ''}
      </div>
      <CallStatus result={diagnosis} what="the diagnosis" />
      {diagnosis.state === 'done' && <DiagnosisView diagnosis={diagnosis.value} />}
    </section>
  );
}

import { useEffect, useId, useState, type FormEvent } from 'react';
import type { DeviceSummary, KeylineApi } from '../../../../common/contract';
import { CallStatus } from './CallStatus';
import { DevicesTable } from './DevicesTable';
import { useCall } from './useCall';

/** Devices of the application, filtered by a name pattern (`CCS-*`). */
export function DevicesLookup({
  keyline,
  applicationId,
  onOpen,
}: {
  keyline: KeylineApi;
  applicationId: string | undefined;
  onOpen: (device: DeviceSummary) => void;
}) {
  const id = useId();
  const [filter, setFilter] = useState('');
  const devices = useCall(keyline, 'inspect.devices.list');
  const { run } = devices;
  useEffect(() => {
    void run(applicationId ? { applicationId } : {});
  }, [run, applicationId]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run({ ...(applicationId ? { applicationId } : {}), ...(filter.trim() ? { filter: filter.trim() } : {}) });
  };
  return (
    <>
      <form className="inspect-inline-form" onSubmit={submit}>
        <label htmlFor={`${id}-filter`}>Device name</label>
        <input
          id={`${id}-filter`}
          className="inspect-input"
          value={filter}
          placeholder="CCS-* (a pattern: * any text, ? one character)"
          onChange={(event) => setFilter(event.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
        <button type="submit" className="button">
          Find devices
        </button>
      </form>
      <CallStatus result={devices.result} what="devices" />
      {devices.result.state === 'done' && <DevicesTable devices={devices.result.value.items} onOpen={onOpen} />}
    </>
  );
}

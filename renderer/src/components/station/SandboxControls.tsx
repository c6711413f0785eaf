import { memo, useEffect, useState } from 'react';
import { SANDBOX_FAULTS, type KeylineApi, type SandboxFault, type SandboxInfo } from '../../../../common/contract';

const FAULT_WORDS: Record<SandboxFault, string> = {
  none: 'No fault',
  'no-network': 'No network (verify fails)',
  'wrong-clock': 'Clock not set',
  'flash-fail': 'Flash write fails (stage fails)',
  slow: 'Slow answers',
  mute: 'Does not answer',
  'leak-secrets': 'Prints its credentials in its log (Keyline redacts them)',
};

/**
 * The sandbox's simulated units: give one a fault to see a failure, its reason and its fix; unplug
 * and plug back. Memoised: it depends on `keyline` alone, and re-rendering its 32 rows (a select of
 * seven options each, which React re-applies on every commit) with each frame of lane updates was
 * a tenth of the window's script time during a batch (docs/benchmarks.md, `npm run bench:window`).
 */
export const SandboxControls = memo(function SandboxControls({ keyline }: { keyline: KeylineApi }) {
  const [info, setInfo] = useState<SandboxInfo>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    void keyline.invoke('sandbox.info', {}).then((result) => live && result.ok && setInfo(result.value));
    return () => {
      live = false;
    };
  }, [keyline]);
  if (!info?.running) return null;
  const update = (unit: SandboxInfo['units'][number]) =>
    setInfo((current) =>
      current
        ? { ...current, units: current.units.map((entry) => (entry.port === unit.port ? unit : entry)) }
        : current,
    );
  const setFault = (port: string, fault: SandboxFault) =>
    void keyline.invoke('sandbox.setFault', { port, fault }).then((result) => {
      if (result.ok) update(result.value);
      else setError(result.error.message);
    });
  const plug = (port: string, plugged: boolean) =>
    void keyline.invoke('sandbox.plug', { port, plugged }).then((result) => {
      if (result.ok) update(result.value);
      else setError(result.error.message);
    });
  return (
    <details className="panel sandbox-controls">
      <summary>Sandbox units and faults</summary>
      <p className="muted">
        Simulated devices on {info.transport === 'pty' ? 'pseudo-terminals' : 'in-process virtual ports'}, platform at{' '}
        <span className="mono">{info.platformUrl}</span>. Give a unit a fault to see how a failure looks and how it is
        fixed.
      </p>
      {error && <p className="notice notice-error">{error}</p>}
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Unit</th>
              <th scope="col">Port</th>
              <th scope="col">Fault</th>
              <th scope="col">Cable</th>
            </tr>
          </thead>
          <tbody>
            {info.units.map((unit) => (
              <tr key={unit.port}>
                <td>
                  <span className="mono">{unit.hwid}</span> <span className="muted">{unit.model}</span>
                </td>
                <td className="mono">{unit.port}</td>
                <td>
                  <label>
                    <span className="visually-hidden">Fault of {unit.hwid}</span>
                    <select
                      value={unit.fault}
                      onChange={(event) => setFault(unit.port, event.target.value as SandboxFault)}
                    >
                      {SANDBOX_FAULTS.map((fault) => (
                        <option key={fault} value={fault}>
                          {FAULT_WORDS[fault]}
                        </option>
                      ))}
                    </select>
                  </label>
                </td>
                <td>
                  <button type="button" className="btn btn-small" onClick={() => plug(unit.port, !unit.plugged)}>
                    {unit.plugged ? 'Unplug' : 'Plug in'}
                    <span className="visually-hidden"> {unit.hwid}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
});

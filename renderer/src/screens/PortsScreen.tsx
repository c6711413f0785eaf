import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { DoctorPort, DoctorReport, KeylineApi } from '../../../common/contract';
import type { ErrorInfo } from '../../../common/errors';
import { PortDiagnosisView } from '../components/ports/PortDiagnosisView';
import { formatDateTime } from '../lib/format';
import '../components/ports/ports.css';

const STATUS_WORDS: Record<DoctorPort['status'], string> = {
  ready: 'Ready',
  'in-use-here': 'In use by this station',
  problem: 'Cannot be used',
  blocked: 'Not in the sandbox',
};

/**
 * The port doctor: every serial port found and every one left out, each explained, and what stops
 * a port from working with the exact fix. "Try to open" proves a port (it may reset some boards,
 * so it runs only when asked).
 */
export function PortsScreen({ keyline }: { keyline: KeylineApi }) {
  const [report, setReport] = useState<DoctorReport>();
  const [error, setError] = useState<ErrorInfo>();
  const [checking, setChecking] = useState(false);
  const [extra, setExtra] = useState<string[]>([]);
  const [typed, setTyped] = useState('');
  const [tried, setTried] = useState<Record<string, { ok: boolean; text: string }>>({});

  // Only the latest check may show: an earlier one that answers late must not replace it.
  const latest = useRef(0);
  const examine = useCallback(
    (paths: string[]) => {
      const id = ++latest.current;
      setChecking(true);
      void keyline.invoke('ports.doctor', paths.length ? { paths } : {}).then((result) => {
        if (id !== latest.current) return;
        setChecking(false);
        if (result.ok) {
          setReport(result.value);
          setError(undefined);
        } else {
          setError(result.error);
        }
      });
    },
    [keyline],
  );

  useEffect(() => {
    const id = ++latest.current;
    void keyline.invoke('ports.doctor', {}).then((result) => {
      if (id !== latest.current) return;
      if (result.ok) setReport(result.value);
      else setError(result.error);
    });
    return () => {
      latest.current += 1;
    };
  }, [keyline]);

  const addPath = (event: FormEvent) => {
    event.preventDefault();
    const path = typed.trim();
    if (!path) return;
    const next = [...new Set([...extra, path])].slice(-16);
    setExtra(next);
    setTyped('');
    examine(next);
  };

  const tryOpen = (path: string) =>
    void keyline.invoke('ports.tryOpen', { path }).then((result) => {
      setTried((current) => ({
        ...current,
        [path]: result.ok
          ? result.value.ok
            ? { ok: true, text: 'Opened and closed: the port works.' }
            : { ok: false, text: result.value.diagnosis?.message ?? 'It could not be opened.' }
          : { ok: false, text: result.error.message },
      }));
    });

  return (
    <div className="ports-screen">
      <p className="lead">
        Every serial port this station sees, why others are left out, and how to fix what stops a port.
      </p>
      <div className="toolbar">
        <button type="button" className="btn btn-primary" disabled={checking} onClick={() => examine(extra)}>
          {checking ? 'Checking…' : 'Check again'}
        </button>
        <form className="toolbar" onSubmit={addPath}>
          <label className="field">
            Check a port path
            <input
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              placeholder="/dev/ttyUSB0, COM3, a pseudo-terminal"
              autoComplete="off"
            />
          </label>
          <button type="submit" className="btn" disabled={!typed.trim()}>
            Check it
          </button>
        </form>
      </div>
      {error && (
        <p className="notice notice-error" role="alert">
          {error.message}
        </p>
      )}
      <div aria-live="polite" className="ports-body">
        {!report && !error && <p>Looking for serial ports…</p>}
        {report && (
          <>
            {report.findings.map((finding) => (
              <PortDiagnosisView key={finding.code + finding.title} diagnosis={finding} />
            ))}
            <section className="panel" aria-labelledby="found-title">
              <h2 id="found-title">Ports found ({report.ports.length})</h2>
              <p className="muted small">
                {report.method === 'list'
                  ? 'Listed by the system'
                  : `The system list failed (${report.listError ?? 'no details'}); /dev was scanned instead`}
                . Checked {formatDateTime(report.checkedAt)} as user {report.environment.user}
                {report.environment.groups.length ? ` (groups: ${report.environment.groups.join(', ')})` : ''};
                ModemManager {report.environment.modemManager.replace('-', ' ')}.
              </p>
              {report.ports.length === 0 && <p className="empty">None.</p>}
              <ul className="port-list" data-testid="doctor-ports">
                {report.ports.map((port) => (
                  <li
                    key={port.path}
                    className={`port port-${port.status}`}
                    data-testid="doctor-port"
                    data-path={port.path}
                  >
                    <div className="section-head">
                      <h3 className="mono">{port.path}</h3>
                      <span
                        className={`outcome ${port.status === 'ready' ? 'outcome-passed' : port.status === 'problem' ? 'outcome-failed' : 'outcome-skipped'}`}
                      >
                        {STATUS_WORDS[port.status]}
                      </span>
                    </div>
                    <p>
                      {port.simulated
                        ? 'A simulated unit of the sandbox.'
                        : [
                            port.product ?? port.family,
                            port.manufacturer,
                            port.vendorId ? `USB ${port.vendorId}:${port.productId ?? '????'}` : undefined,
                            port.serialNumber ? `serial ${port.serialNumber}` : undefined,
                          ]
                            .filter(Boolean)
                            .join(', ') || 'A serial port added by hand.'}
                    </p>
                    <p className="muted small">
                      Lane key <span className="mono">{port.laneKey}</span>: {port.laneKeyReason}.
                      {port.realPath && port.realPath !== port.path ? ` Device node ${port.realPath}.` : ''}
                      {port.holders.length
                        ? ` Open in: ${port.holders.map((holder) => `${holder.command} (pid ${holder.pid})`).join(', ')}.`
                        : ''}
                    </p>
                    {port.diagnosis && <PortDiagnosisView diagnosis={port.diagnosis} />}
                    {!port.simulated && port.status !== 'in-use-here' && (
                      <div className="toolbar">
                        <button type="button" className="btn btn-small" onClick={() => tryOpen(port.path)}>
                          Try to open<span className="visually-hidden"> {port.path}</span>
                        </button>
                        {tried[port.path] && (
                          <span
                            className={tried[port.path]!.ok ? 'notice notice-pass' : 'notice notice-error'}
                            role="status"
                          >
                            {tried[port.path]!.text}
                          </span>
                        )}
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            </section>
            <section className="panel" aria-labelledby="filtered-title">
              <h2 id="filtered-title">Left out ({report.filtered.length})</h2>
              {report.filtered.length === 0 ? (
                <p className="empty">Nothing was left out.</p>
              ) : (
                <table className="data-table" data-testid="doctor-filtered">
                  <thead>
                    <tr>
                      <th scope="col">Port</th>
                      <th scope="col">Why it is left out</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.filtered.map((entry) => (
                      <tr key={entry.path + entry.reason}>
                        <td className="mono">{entry.path}</td>
                        <td>{entry.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          </>
        )}
      </div>
    </div>
  );
}

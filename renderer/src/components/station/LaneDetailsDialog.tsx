import { useEffect, useRef, useState } from 'react';
import type { KeylineApi, LaneDetails } from '../../../../common/contract';
import type { ErrorInfo } from '../../../../common/errors';
import { CopyButton } from '../CopyButton';
import { OutcomeBadge } from '../OutcomeBadge';
import { formatDateTime, formatDuration } from '../../lib/format';
import { STEP_WORDS } from './tiles';

function Id({ label, value }: { label: string; value: string | undefined }) {
  if (!value) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <span className="mono">{value}</span>
        <CopyButton text={value} label={label} />
      </dd>
    </>
  );
}

/**
 * Everything about one lane, in a modal dialog: the step timeline with timings, the ids (with
 * copy buttons), the platform device, the journal record and the device log (secrets replaced in
 * main before a line ever leaves it). There is no secret here to show.
 */
export function LaneDetailsDialog({
  keyline,
  laneId,
  onClose,
}: {
  keyline: KeylineApi;
  laneId: string;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [details, setDetails] = useState<LaneDetails>();
  const [error, setError] = useState<ErrorInfo>();

  useEffect(() => {
    dialog.current?.showModal();
    let live = true;
    const load = () =>
      void keyline.invoke('station.laneDetails', { laneId }).then((result) => {
        if (!live) return;
        if (result.ok) setDetails(result.value);
        else setError(result.error);
      });
    load();
    const off = keyline.on('provisioning.laneFinished', (view) => view.id === laneId && load());
    return () => {
      live = false;
      off();
    };
  }, [keyline, laneId]);

  const lane = details?.lane;
  return (
    <dialog ref={dialog} className="dialog lane-details" aria-labelledby="lane-details-title" onClose={onClose}>
      <div className="section-head">
        <h2 id="lane-details-title">Lane details{lane ? `: ${lane.hwid ?? lane.port}` : ''}</h2>
        <button type="button" className="btn" onClick={() => dialog.current?.close()} autoFocus>
          Close
        </button>
      </div>
      {error && (
        <p className="notice notice-error" role="alert">
          {error.message}
        </p>
      )}
      {!details && !error && <p>Loading…</p>}
      {lane && details && (
        <div className="details-grid">
          <section aria-labelledby="details-ids">
            <h3 id="details-ids">Device and ids</h3>
            <dl className="facts">
              <dt>State</dt>
              <dd>
                <OutcomeBadge outcome={lane.state} />
              </dd>
              <dt>Port</dt>
              <dd className="mono">{lane.port}</dd>
              <Id label="Hwid" value={lane.hwid} />
              {lane.model && (
                <>
                  <dt>Model</dt>
                  <dd>
                    {lane.model} {lane.firmware ? `(firmware ${lane.firmware})` : ''}
                  </dd>
                </>
              )}
              <Id label="Device id" value={lane.deviceId} />
              <Id label="Access key id" value={lane.keyId} />
              <Id label="Run id" value={lane.runId} />
              {lane.fingerprintPrefix && (
                <>
                  <dt>Fingerprint (first bytes)</dt>
                  <dd className="mono">{lane.fingerprintPrefix}</dd>
                </>
              )}
              {details.workOrder && (
                <>
                  <dt>Work order</dt>
                  <dd>{details.workOrder}</dd>
                </>
              )}
              {details.scan && (
                <>
                  <dt>Scanned label</dt>
                  <dd>
                    {details.scan.serial} ({details.scan.check})
                  </dd>
                </>
              )}
            </dl>
            {lane.error && (
              <p className="notice notice-error">
                <code>{lane.error.code}</code> {lane.error.message}
              </p>
            )}
          </section>
          <section aria-labelledby="details-steps">
            <h3 id="details-steps">Steps</h3>
            <ol className="timeline" data-testid="step-timeline">
              {lane.steps.map((step) => (
                <li key={step.name} data-status={step.status}>
                  <span className="timeline-name">{STEP_WORDS[step.name]}</span>{' '}
                  <span className="timeline-status">{step.status}</span>{' '}
                  <span className="muted">{step.ms !== undefined ? formatDuration(step.ms) : ''}</span>
                </li>
              ))}
            </ol>
          </section>
          <section aria-labelledby="details-platform">
            <h3 id="details-platform">Platform device</h3>
            {details.platformDevice ? (
              <dl className="facts">
                <dt>Name</dt>
                <dd>{details.platformDevice.name}</dd>
                <dt>Class</dt>
                <dd>{details.platformDevice.deviceClass}</dd>
                <dt>Tags</dt>
                <dd>{details.platformDevice.tags.map((tag) => `${tag.key}=${tag.value}`).join(', ') || '—'}</dd>
              </dl>
            ) : (
              <p className="muted">{details.platformProblem ?? 'Not resolved yet.'}</p>
            )}
          </section>
          <section aria-labelledby="details-record">
            <h3 id="details-record">Journal record</h3>
            {details.record ? (
              <dl className="facts">
                <dt>Outcome</dt>
                <dd>
                  <OutcomeBadge outcome={details.record.outcome} />
                </dd>
                <dt>Written</dt>
                <dd>{formatDateTime(details.record.time)}</dd>
                <dt>Operator</dt>
                <dd>{details.record.operator}</dd>
                {details.record.keyName && (
                  <>
                    <dt>Key name</dt>
                    <dd className="mono">{details.record.keyName}</dd>
                  </>
                )}
                {details.record.timing && (
                  <>
                    <dt>Time</dt>
                    <dd>
                      {formatDuration(details.record.timing.totalMs)} in all: device{' '}
                      {formatDuration(details.record.timing.deviceMs)}, platform{' '}
                      {formatDuration(details.record.timing.platformMs)}, station{' '}
                      {formatDuration(details.record.timing.stationMs)}
                    </dd>
                  </>
                )}
                {details.record.devicePathProven === false && (
                  <>
                    <dt>Verification</dt>
                    <dd>by the station (the device's own connection was not proven)</dd>
                  </>
                )}
                {details.record.notes.map((note) => (
                  <dd key={note}>{note}</dd>
                ))}
              </dl>
            ) : (
              <p className="muted">No finished run yet.</p>
            )}
          </section>
          <section aria-labelledby="details-log" className="details-wide">
            <h3 id="details-log">Device log</h3>
            <pre className="device-log" data-testid="device-log" tabIndex={0}>
              {details.log.length ? details.log.join('\n') : 'No lines from this device yet.'}
            </pre>
          </section>
        </div>
      )}
    </dialog>
  );
}

import type { SerialInspection } from '../../../../common/contract';

const AGREE = { true: 'Matches', false: 'Differs', null: '' } as const;

/** What the device says (hello) next to what the platform says, row by row, with differences marked. */
export function SideBySide({ inspection }: { inspection: SerialInspection }) {
  const { device } = inspection;
  return (
    <section className="inspect-detail" aria-labelledby="side-by-side-title" data-testid="side-by-side">
      <h3 id="side-by-side-title">
        {device.model} on {device.port}
      </h3>
      <p className="hint">
        Hardware id {device.hwid}, firmware {device.firmware}, protocol {device.protocol}, capabilities{' '}
        {device.capabilities.join(', ') || 'none'}; up {device.uptimeSeconds} s, {device.boots} boots
        {device.pending ? '; a commit waits for confirmation' : ''}.
      </p>
      <div className="table-scroll">
        <table className="inspect-table">
          <caption>The device and the platform, side by side</caption>
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">On the device</th>
              <th scope="col">On the platform</th>
              <th scope="col">
                <span className="visually-hidden">Agreement</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {inspection.rows.map((row) => (
              <tr key={row.label} className={row.agree === false ? 'inspect-row-differs' : undefined}>
                <th scope="row">{row.label}</th>
                <td className="mono">{row.onDevice}</td>
                <td>{row.onPlatform}</td>
                <td>{AGREE[String(row.agree) as keyof typeof AGREE]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {inspection.notes.map((note) => (
        <p key={note} className="hint">
          {note}
        </p>
      ))}
    </section>
  );
}

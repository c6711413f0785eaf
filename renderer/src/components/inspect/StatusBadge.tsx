/** Active / inactive / pending / expired as a word with a colour, never a colour alone. */
export function StatusBadge({ status }: { status: 'active' | 'inactive' | 'pending' | 'expired' }) {
  const label = { active: 'Active', inactive: 'Inactive', pending: 'Pending', expired: 'Expired' }[status];
  return <span className={`badge badge-${status}`}>{label}</span>;
}

/** An ISO time as the window's locale shows it, the ISO value kept for copying. */
export function When({ time }: { time: string | null }) {
  if (!time) return <>—</>;
  const parsed = new Date(time);
  return <time dateTime={time}>{Number.isNaN(parsed.getTime()) ? time : parsed.toLocaleString()}</time>;
}

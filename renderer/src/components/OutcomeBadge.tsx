const WORDS: Record<string, string> = {
  passed: 'Passed',
  failed: 'Failed',
  skipped: 'Skipped',
  unresolved: 'Unresolved',
  reconciled: 'Reconciled',
  unfinished: 'Unfinished',
  running: 'Running',
  waiting: 'Waiting',
  idle: 'Ready',
};

/** An outcome in a word and a colour (never colour alone: the word is always there). */
export function OutcomeBadge({ outcome }: { outcome: string }) {
  return (
    <span className={`outcome outcome-${outcome}`} data-testid="outcome">
      {WORDS[outcome] ?? outcome}
    </span>
  );
}

import type { CauseCheck, Diagnosis } from '../../common/contract/inspect';
import { terminalSafe } from './token-report';

const MARK: Record<CauseCheck['status'], string> = { holds: 'CAUSE  ', unknown: 'UNKNOWN', clear: 'ok     ' };

/** Untrusted text (device names, hwids, platform reasons) on one line, terminal-safe. */
const line = (text: string) => terminalSafe(text.replace(/\r?\n/g, ' '));

function wrap(text: string, prefix: string, width = 100): string[] {
  const words = line(text).split(' ');
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    if (current && current.length + word.length + 1 > width - prefix.length) {
      lines.push(prefix + current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(prefix + current);
  return lines;
}

/** The human form of `keyline diagnose`: what support reads out on a call, causes and fixes first. */
export function formatDiagnosis(diagnosis: Diagnosis): string {
  const { subject } = diagnosis;
  const out: string[] = [];
  const what = [
    subject.port && `port ${subject.port}`,
    subject.hwid && `hwid ${subject.hwid}`,
    subject.deviceId && `device ${subject.deviceId}${subject.deviceName ? ` ("${subject.deviceName}")` : ''}`,
    subject.applicationId && `application ${subject.applicationId}`,
    subject.accessKeyId && `key id ${subject.accessKeyId}`,
  ].filter(Boolean);
  out.push(line(`Diagnosis of ${what.join(', ') || 'the device'} at ${diagnosis.checkedAt}`));
  out.push(line(diagnosis.summary));
  out.push('');
  for (const item of diagnosis.checks) {
    out.push(line(`${MARK[item.status]}  ${item.title}`));
    out.push(...wrap(item.finding, '           '));
    for (const evidence of item.evidence) out.push(...wrap(`- ${evidence}`, '           '));
    if (item.status === 'holds') out.push(...wrap(`Fix: ${item.fix}`, '           '));
  }
  if (diagnosis.deviceTest) {
    const steps = diagnosis.deviceTest.steps.map(
      (step) => `${step.step} ${step.status}${step.error ? ` ${step.error}` : ''}`,
    );
    out.push(
      '',
      line(`Device test: ${diagnosis.deviceTest.passed ? 'passed' : 'failed'} (${steps.join(', ') || 'no steps'})`),
    );
  }
  if (diagnosis.connectionLog.length > 0) {
    out.push('', 'Connection log (newest first):');
    for (const entry of diagnosis.connectionLog.slice(0, 10)) {
      out.push(
        line(
          `  ${entry.time}  ${entry.connected ? 'connected' : 'refused  '}${entry.reason ? `  ${entry.reason}` : ''}`,
        ),
      );
    }
  }
  if (diagnosis.notes.length > 0) {
    out.push('', 'Notes:');
    for (const note of diagnosis.notes) out.push(...wrap(`- ${note}`, '  '));
  }
  return `${out.join('\n')}\n`;
}

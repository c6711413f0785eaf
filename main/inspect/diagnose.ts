import type { CauseCheck, Diagnosis, DeviceTestView } from '../../common/contract/inspect';
import { clockFarOff, deviceIdMismatch, noCredentials, platformUnreachable, secretMismatch } from './causes-device';
import { deviceClass, deviceDeleted, keyDeleted, keyInactive, keyRestricted } from './causes-platform';
import { recentRefusals } from './connection-refusals';
import { gatherFacts, type DiagnosisFacts, type DiagnosisSubject, type GatherOptions } from './diagnosis-facts';
import type { InspectJournal } from './inspect-journal';
import { connectionLog } from './lookup-views';

const ORDER: Record<CauseCheck['status'], number> = { holds: 0, unknown: 1, clear: 2 };

/** Judges every cause from the gathered facts alone (pure: the unit tests feed facts directly). */
export function judge(facts: DiagnosisFacts): CauseCheck[] {
  const { refusals, lastSuccess } =
    facts.log.state === 'found' ? recentRefusals(facts.log.value) : { refusals: [], lastSuccess: null };
  const checks = [
    noCredentials(facts),
    deviceDeleted(facts),
    deviceClass(facts, refusals),
    keyDeleted(facts, refusals),
    keyInactive(facts, refusals),
    keyRestricted(facts, refusals),
    deviceIdMismatch(facts),
    secretMismatch(facts, refusals),
    clockFarOff(facts),
    platformUnreachable(facts, lastSuccess),
  ];
  // A unit without credentials has nothing else to get wrong: the rest cannot be judged.
  if (checks[0]!.status === 'holds') {
    for (const item of checks.slice(1)) {
      if (item.status === 'holds' && item.cause !== 'CLOCK_FAR_OFF') item.status = 'unknown';
    }
  }
  return checks.sort((a, b) => ORDER[a.status] - ORDER[b.status]);
}

function testView(facts: DiagnosisFacts): DeviceTestView | null {
  const test = facts.probe?.test;
  if (!test || !('report' in test)) return null;
  const { report } = test;
  return {
    passed: report.passed,
    steps: report.steps.map((step) => ({ step: step.step, status: step.status, error: step.error ?? null })),
    failure: report.failure ?? null,
  };
}

function summaryOf(checks: CauseCheck[], facts: DiagnosisFacts): string {
  const holds = checks.filter((item) => item.status === 'holds');
  if (holds.length > 0) {
    return `${holds.length === 1 ? 'One cause found' : `${holds.length} causes found`}: ${holds.map((item) => item.title.toLowerCase()).join('; ')}.`;
  }
  const unknown = checks.filter((item) => item.status === 'unknown').length;
  const test = testView(facts);
  if (test?.passed) return 'No cause found: the device authenticates with its credentials and reports state.';
  return `No cause found${unknown ? `; ${unknown} of ${checks.length} could not be checked` : ''}.`;
}

export interface DiagnoseOptions extends GatherOptions {
  journal?: InspectJournal;
  station: string;
}

/**
 * "Why can't this device connect?": gathers the facts (the device over serial, its platform
 * record, key and connection log, the journal's last run), checks each cause, and journals that
 * a diagnosis was made (best effort: a busy journal does not stop a diagnosis; the answer says so).
 */
export async function diagnose(subject: DiagnosisSubject, options: DiagnoseOptions): Promise<Diagnosis> {
  const facts = await gatherFacts(subject, options);
  const checks = judge(facts);
  const found = checks.filter((item) => item.status === 'holds').map((item) => item.cause);
  const device = facts.device.state === 'found' ? facts.device.value : null;
  const diagnosis: Diagnosis = {
    subject: {
      port: 'port' in subject ? subject.port : null,
      hwid: facts.probe?.info.hwid ?? device?.tags.find((tag) => tag.key === 'hwid')?.value ?? null,
      deviceId: facts.deviceId,
      deviceName: device?.name ?? null,
      applicationId: facts.applicationId,
      accessKeyId: facts.keyId,
    },
    checkedAt: new Date(facts.now).toISOString(),
    verdict: found.length > 0 ? 'causesFound' : 'noCauseFound',
    summary: summaryOf(checks, facts),
    checks,
    found,
    deviceTest: testView(facts),
    connectionLog: facts.log.state === 'found' ? connectionLog(facts.log.value, 20) : [],
    notes: facts.notes.slice(0, 20),
    journaled: false,
  };
  if (facts.probe?.test && 'skipped' in facts.probe.test)
    diagnosis.notes.push(`No device test: ${facts.probe.test.skipped}.`);
  if (options.journal) {
    try {
      const session = await options.journal.open();
      try {
        await session.append({
          action: 'diagnose',
          ...(facts.deviceId ? { deviceId: facts.deviceId } : {}),
          ...(facts.applicationId ? { applicationId: facts.applicationId } : {}),
          ...(facts.keyId ? { accessKeyId: facts.keyId } : {}),
          ...(diagnosis.subject.hwid ? { hwid: diagnosis.subject.hwid.slice(0, 128) } : {}),
          result: (found.length ? `causes: ${found.join(', ')}` : 'no cause found').slice(0, 256),
          station: options.station.slice(0, 256),
          detail: {
            ...(diagnosis.subject.port ? { port: diagnosis.subject.port.slice(0, 256) } : {}),
            deviceTest: diagnosis.deviceTest
              ? diagnosis.deviceTest.passed
                ? 'passed'
                : (diagnosis.deviceTest.failure ?? 'failed')
              : 'none',
          },
        });
        diagnosis.journaled = true;
      } finally {
        await session.close();
      }
    } catch (error) {
      diagnosis.notes.push(
        `Not journaled: ${error instanceof Error ? error.message : 'the journal could not be written'}`,
      );
    }
  }
  return diagnosis;
}

import type {
  AccessKeyView,
  ActionOutcome,
  ActionPreview,
  ActionTarget,
  ApiTokenView,
  DeviceDetail,
  DeviceSummary,
  Diagnosis,
  DiagnoseArgs,
  InspectAccess,
  InspectAction,
  OauthTokenView,
  SerialInspection,
} from '../../common/contract/inspect';
import { KeylineError } from '../../common/errors';
import type { Logger } from '../host/logger';
import type { SecretRedactor } from '../security/secret-redactor';
import { previewAction, runAction } from './actions';
import { serialDeviceOpener, type DeviceOpener } from './device-probe';
import { diagnose } from './diagnose';
import type { GatherOptions } from './diagnosis-facts';
import { InspectError } from './inspect-error';
import type { InspectJournal } from './inspect-journal';
import { deviceDetail, listApiTokens, listDevices, listKeys, listOauthTokens, type Listed } from './lookups';
import { permissionsOf } from './permissions';
import type { InspectPlatform, InspectPlatformSource } from './platform-access';
import { inspectSerialDevice } from './serial-inspection';
import { effectiveRole } from './session-role';

export interface InspectServiceOptions {
  redactor: SecretRedactor;
  /** Where lookups run: the signed-in session, or an API token given to the station. */
  source: InspectPlatformSource;
  /** Where actions (and diagnoses) are journaled. Without one, actions are refused. */
  journal?: InspectJournal;
  /** Opens a device's serial port; the real serial link by default. */
  open?: DeviceOpener;
  /** The data directory whose journal tells what Keyline last wrote into a device. */
  dataDir?: string;
  station: string;
  logger?: Logger;
  now?: () => number;
}

/**
 * The support inspector's platform and device side (issue 8 §2–§5): lookups, actions with their
 * confirmations, device inspection over serial and diagnosis. Tokens never leave main.
 */
export class InspectService {
  readonly #options: InspectServiceOptions;
  readonly #open: DeviceOpener;
  readonly #now: () => number;

  constructor(options: InspectServiceOptions) {
    this.#options = options;
    this.#open = options.open ?? serialDeviceOpener(options.redactor);
    this.#now = options.now ?? Date.now;
  }

  async access(applicationId?: string, signal?: AbortSignal): Promise<InspectAccess> {
    let platform: InspectPlatform;
    try {
      platform = await this.#options.source.current(signal);
    } catch (error) {
      if (!(error instanceof KeylineError)) throw error;
      const none = permissionsOf([], null);
      return {
        source: 'none',
        who: 'Nobody',
        apiUrl: null,
        application: null,
        scopes: [],
        role: null,
        can: none.can,
        readOnly: true,
        notes: [],
        problem: { code: error.code, message: error.message },
      };
    }
    const application = applicationId
      ? {
          id: applicationId,
          name: platform.defaultApplication?.id === applicationId ? platform.defaultApplication.name : null,
        }
      : platform.defaultApplication;
    const role = await effectiveRole(platform, application?.id ?? null, signal);
    const permissions = permissionsOf(platform.scopes, role);
    const notes = [...permissions.notes];
    if (platform.scopes === undefined)
      notes.push("This token's scopes could not be read: the platform decides each action.");
    return {
      source: platform.source,
      who: platform.who,
      apiUrl: platform.apiUrl,
      application,
      scopes: platform.scopes ?? [],
      role,
      can: permissions.can,
      readOnly: permissions.readOnly,
      notes: notes.slice(0, 10),
      problem: null,
    };
  }

  async apiTokens(applicationId?: string, signal?: AbortSignal): Promise<Listed<ApiTokenView>> {
    const platform = await this.#platform(signal);
    return listApiTokens(platform, this.#application(platform, applicationId), this.#now(), signal);
  }

  async keys(applicationId?: string, signal?: AbortSignal): Promise<Listed<AccessKeyView>> {
    const platform = await this.#platform(signal);
    return listKeys(platform, this.#application(platform, applicationId), signal);
  }

  async oauthTokens(signal?: AbortSignal): Promise<Listed<OauthTokenView>> {
    return listOauthTokens(await this.#platform(signal), signal);
  }

  async devices(applicationId?: string, filter?: string, signal?: AbortSignal): Promise<Listed<DeviceSummary>> {
    const platform = await this.#platform(signal);
    return listDevices(platform, this.#application(platform, applicationId), filter, signal);
  }

  async device(deviceId: string, applicationId?: string, signal?: AbortSignal): Promise<DeviceDetail> {
    const platform = await this.#platform(signal);
    const app = this.#application(platform, applicationId);
    const permissions = permissionsOf(platform.scopes, await effectiveRole(platform, app, signal));
    return deviceDetail(platform, app, deviceId, permissions.can, signal);
  }

  async preview(target: ActionTarget, action: InspectAction, signal?: AbortSignal): Promise<ActionPreview> {
    const platform = await this.#platform(signal);
    const app = 'applicationId' in target ? target.applicationId : null;
    const permissions = permissionsOf(platform.scopes, await effectiveRole(platform, app, signal));
    return previewAction(platform, permissions, target, action, signal);
  }

  async run(target: ActionTarget, action: InspectAction, signal?: AbortSignal): Promise<ActionOutcome> {
    const platform = await this.#platform(signal);
    const { journal } = this.#options;
    if (!journal) {
      throw new InspectError(
        'INSPECT_JOURNAL_UNAVAILABLE',
        'Nothing was changed: this station has no journal to record it.',
      );
    }
    const outcome = await runAction(platform, journal, { station: this.#options.station }, target, action, signal);
    this.#options.logger?.info(
      { action, target: target.kind, id: target.id, outcome: outcome.outcome, journaled: outcome.journaled },
      'inspector action',
    );
    return outcome;
  }

  async serial(port: string, applicationId?: string, signal?: AbortSignal): Promise<SerialInspection> {
    const inspection = await inspectSerialDevice(port, applicationId, this.#gather(signal));
    this.#options.logger?.info({ port, hwid: inspection.device.hwid }, 'inspected a device over serial');
    return inspection;
  }

  async diagnose(args: DiagnoseArgs, signal?: AbortSignal): Promise<Diagnosis> {
    const subject =
      args.port !== undefined
        ? {
            port: args.port,
            ...(args.applicationId ? { applicationId: args.applicationId } : {}),
            ...(args.deviceTest === undefined ? {} : { deviceTest: args.deviceTest }),
          }
        : { deviceId: args.deviceId!, ...(args.applicationId ? { applicationId: args.applicationId } : {}) };
    const diagnosis = await diagnose(subject, {
      ...this.#gather(signal),
      journal: this.#options.journal,
      station: this.#options.station,
    });
    this.#options.logger?.info(
      { port: args.port, deviceId: diagnosis.subject.deviceId, found: diagnosis.found, journaled: diagnosis.journaled },
      'diagnosed a device',
    );
    return diagnosis;
  }

  #gather(signal?: AbortSignal): GatherOptions {
    return {
      source: this.#options.source,
      open: this.#open,
      ...(this.#options.dataDir ? { dataDir: this.#options.dataDir } : {}),
      now: this.#now,
      ...(signal ? { signal } : {}),
    };
  }

  #platform(signal?: AbortSignal): Promise<InspectPlatform> {
    return this.#options.source.current(signal);
  }

  #application(platform: InspectPlatform, applicationId: string | undefined): string {
    const id = applicationId ?? platform.defaultApplication?.id;
    if (!id) {
      throw new InspectError(
        'INSPECT_NO_APPLICATION',
        'Which application? Choose one on the Settings screen after signing in, or enter its id.',
      );
    }
    return id;
  }
}

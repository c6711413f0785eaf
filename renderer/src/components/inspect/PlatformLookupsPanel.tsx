import { useCallback, useEffect, useState } from 'react';
import type { ActionTarget, InspectAccess, KeylineApi } from '../../../../common/contract';
import { AccessSummary } from './AccessSummary';
import { ActionNoticeLine } from './ActionNoticeLine';
import { ApiTokensTable } from './ApiTokensTable';
import { CallStatus } from './CallStatus';
import { ConfirmAction } from './ConfirmAction';
import { DeviceDetailView } from './DeviceDetailView';
import { DevicesLookup } from './DevicesLookup';
import { KeysTable } from './KeysTable';
import { LookupTabs, type LookupId } from './LookupTabs';
import { OauthTokensTable } from './OauthTokensTable';
import { useAction } from './useAction';
import { useCall } from './useCall';
import { useInspectAccess } from './useInspectAccess';
import './inspect-platform.css';

/**
 * Keys, tokens and devices on the platform, as the signed-in session (or the station's API token)
 * sees them. Actions the session may not take are not offered; one the platform refuses anyway
 * is answered "not allowed for you", with the reason.
 */
export function PlatformLookupsPanel({
  keyline,
  onDiagnoseDevice,
}: {
  keyline: KeylineApi;
  onDiagnoseDevice: (deviceId: string, applicationId: string) => void;
}) {
  const [applicationId, setApplicationId] = useState<string>();
  const [tab, setTab] = useState<LookupId>('keys');
  const access = useInspectAccess(keyline, applicationId);
  const ready = access.state === 'done' && !access.value.problem ? access.value : undefined;
  return (
    <section className="panel inspect-platform" aria-labelledby="inspect-platform-title">
      <h2 id="inspect-platform-title">Keys, tokens and devices</h2>
      <CallStatus result={access} what="who you are on the platform" />
      {access.state === 'done' && (
        <AccessSummary access={access.value} applicationId={applicationId} onApplication={setApplicationId} />
      )}
      {ready && (
        <>
          <LookupTabs current={tab} onSelect={setTab} />
          <div role="tabpanel" id="lookup-panel" aria-labelledby={`lookup-tab-${tab}`} className="inspect-tabpanel">
            <Lookup
              key={`${tab}-${ready.application?.id ?? ''}`}
              keyline={keyline}
              tab={tab}
              access={ready}
              onDiagnoseDevice={onDiagnoseDevice}
            />
          </div>
        </>
      )}
    </section>
  );
}

function Lookup({
  keyline,
  tab,
  access,
  onDiagnoseDevice,
}: {
  keyline: KeylineApi;
  tab: LookupId;
  access: InspectAccess;
  onDiagnoseDevice: (deviceId: string, applicationId: string) => void;
}) {
  const applicationId = access.application?.id;
  const app = applicationId ? { applicationId } : {};
  const keys = useCall(keyline, 'inspect.keys.list');
  const apiTokens = useCall(keyline, 'inspect.apiTokens.list');
  const oauthTokens = useCall(keyline, 'inspect.oauthTokens.list');
  const detail = useCall(keyline, 'inspect.device.get');
  const { run: runKeys } = keys;
  const { run: runApiTokens } = apiTokens;
  const { run: runOauthTokens } = oauthTokens;
  const load = useCallback(() => {
    const args = applicationId ? { applicationId } : {};
    if (tab === 'keys') void runKeys(args);
    if (tab === 'apiTokens') void runApiTokens(args);
    if (tab === 'oauthTokens') void runOauthTokens({});
  }, [tab, applicationId, runKeys, runApiTokens, runOauthTokens]);
  useEffect(load, [load]);
  const action = useAction(keyline, load);
  const act = (target: ActionTarget, verb: Parameters<typeof action.start>[1]) => void action.start(target, verb);

  return (
    <>
      <ActionNoticeLine notice={action.notice} />
      <ConfirmAction stage={action.stage} onConfirm={() => void action.confirm()} onCancel={action.cancel} />
      {tab === 'keys' && (
        <>
          <CallStatus result={keys.result} what="access keys" />
          {keys.result.state === 'done' && applicationId && (
            <KeysTable
              keys={keys.result.value.items}
              canManage={access.can.manageKeys}
              onAction={(key, verb) => act({ kind: 'accessKey', applicationId, id: key.id }, verb)}
            />
          )}
        </>
      )}
      {tab === 'apiTokens' && (
        <>
          <CallStatus result={apiTokens.result} what="API tokens" />
          {apiTokens.result.state === 'done' && applicationId && (
            <ApiTokensTable
              tokens={apiTokens.result.value.items}
              canManage={access.can.manageApiTokens}
              onAction={(token, verb) => act({ kind: 'apiToken', applicationId, id: token.id }, verb)}
            />
          )}
        </>
      )}
      {tab === 'oauthTokens' && (
        <>
          <CallStatus result={oauthTokens.result} what="OAuth tokens" />
          {oauthTokens.result.state === 'done' && (
            <OauthTokensTable
              tokens={oauthTokens.result.value.items}
              canManage={access.can.manageOauthTokens}
              onAction={(token, verb) => act({ kind: 'oauthToken', id: token.id }, verb)}
            />
          )}
        </>
      )}
      {tab === 'devices' && (
        <>
          <DevicesLookup
            keyline={keyline}
            applicationId={applicationId}
            onOpen={(device) => void detail.run({ ...app, deviceId: device.id })}
          />
          <CallStatus result={detail.result} what="the device" />
          {detail.result.state === 'done' && (
            <DeviceDetailView
              detail={detail.result.value}
              onDiagnose={() =>
                detail.result.state === 'done' &&
                onDiagnoseDevice(detail.result.value.device.id, detail.result.value.applicationId)
              }
            />
          )}
        </>
      )}
    </>
  );
}

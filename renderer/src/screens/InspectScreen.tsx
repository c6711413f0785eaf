import type { KeylineApi } from '../../../common/contract';
import { DevicePanel } from '../components/inspect/DevicePanel';
import { PlatformLookupsPanel } from '../components/inspect/PlatformLookupsPanel';
import { TokenDecoderPanel } from '../components/inspect/TokenDecoderPanel';
import { useDiagnosis } from '../components/inspect/useDiagnosis';

export function InspectScreen({ keyline }: { keyline: KeylineApi }) {
  const { result, diagnose } = useDiagnosis(keyline);
  return (
    <div className="inspect-screen">
      <p className="lead">Decode tokens, look up keys and devices, and diagnose why a device cannot connect.</p>
      <TokenDecoderPanel keyline={keyline} />
      <DevicePanel keyline={keyline} diagnosis={result} onDiagnose={diagnose} />
      <PlatformLookupsPanel
        keyline={keyline}
        onDiagnoseDevice={(deviceId, applicationId) => {
          diagnose({ deviceId, applicationId });
          document.getElementById('inspect-device-title')?.scrollIntoView({ behavior: 'smooth' });
        }}
      />
    </div>
  );
}

import type { KeylineApi } from '../../../common/contract';
import { TokenDecoderPanel } from '../components/inspect/TokenDecoderPanel';

export function InspectScreen({ keyline }: { keyline: KeylineApi }) {
  return (
    <div className="inspect-screen">
      <p className="lead">Decode tokens, look up keys and devices, and diagnose why a device cannot connect.</p>
      <TokenDecoderPanel keyline={keyline} />
    </div>
  );
}

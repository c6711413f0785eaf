import { useCallback } from 'react';
import type { DiagnoseArgs, KeylineApi } from '../../../../common/contract';
import { useCall } from './useCall';

/** "Why can't this device connect?" for a port or a device id; shared by the device panel and the device details. */
export function useDiagnosis(keyline: KeylineApi) {
  const { result, run, reset } = useCall(keyline, 'inspect.diagnose');
  const diagnose = useCallback((args: DiagnoseArgs) => void run(args), [run]);
  return { result, diagnose, reset };
}

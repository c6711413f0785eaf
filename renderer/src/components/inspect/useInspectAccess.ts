import { useEffect } from 'react';
import type { InspectAccess, KeylineApi } from '../../../../common/contract';
import { useCall, type CallState } from './useCall';

/**
 * Who platform lookups run as and what they may do, for the application in view; asked again
 * whenever the sign-in changes (a support engineer signing in turns the screen read-only).
 */
export function useInspectAccess(keyline: KeylineApi, applicationId: string | undefined): CallState<InspectAccess> {
  const { result, run } = useCall(keyline, 'inspect.access');
  useEffect(() => {
    const ask = () => void run(applicationId ? { applicationId } : {});
    ask();
    return keyline.on('auth.session.changed', ask);
  }, [keyline, run, applicationId]);
  return result;
}

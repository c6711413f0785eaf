import { useEffect, useState } from 'react';
import type { AppInfo, KeylineApi } from '../../../common/contract';
import type { ErrorInfo } from '../../../common/errors';

export type Loadable<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; error: ErrorInfo };

export function useAppInfo(keyline: KeylineApi): Loadable<AppInfo> {
  const [info, setInfo] = useState<Loadable<AppInfo>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    void keyline.invoke('app.info', {}).then((result) => {
      if (!live) return;
      setInfo(result.ok ? { state: 'ready', value: result.value } : { state: 'failed', error: result.error });
    });
    return () => {
      live = false;
    };
  }, [keyline]);
  return info;
}

import { useEffect, useState } from 'react';
import type { KeylineApi, Notice } from '../../../common/contract';

/** The latest status-bar notice from main. */
export function useLatestNotice(keyline: KeylineApi): Notice | undefined {
  const [notice, setNotice] = useState<Notice>();
  useEffect(() => keyline.on('app.notice', setNotice), [keyline]);
  return notice;
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ActionPreview, ActionTarget, InspectAction, KeylineApi } from '../../../../common/contract';

export type ActionStage =
  | { stage: 'idle' }
  | { stage: 'previewing'; target: ActionTarget; action: InspectAction }
  | { stage: 'confirming' | 'running'; target: ActionTarget; action: InspectAction; preview: ActionPreview };

/** What the last action came to: done, not allowed (with the platform's reason), or failed. */
export interface ActionNotice {
  kind: 'done' | 'notAllowed' | 'failed';
  text: string;
}

/**
 * An action in three steps: ask main what it would stop (the confirmation), let the person
 * confirm, then run it. A 401/403 comes back as "not allowed for you" with the reason.
 */
export function useAction(keyline: KeylineApi, onChanged: () => void) {
  const [stage, setStage] = useState<ActionStage>({ stage: 'idle' });
  const [notice, setNotice] = useState<ActionNotice>();
  const changed = useRef(onChanged);
  useEffect(() => {
    changed.current = onChanged;
  }, [onChanged]);

  const start = useCallback(
    async (target: ActionTarget, action: InspectAction) => {
      setNotice(undefined);
      setStage({ stage: 'previewing', target, action });
      const answer = await keyline.invoke('inspect.action.preview', { target, action });
      if (!answer.ok) {
        setStage({ stage: 'idle' });
        setNotice({ kind: 'failed', text: answer.error.message });
        return;
      }
      setStage({ stage: 'confirming', target, action, preview: answer.value });
    },
    [keyline],
  );

  const confirm = useCallback(async () => {
    if (stage.stage !== 'confirming') return;
    const { target, action, preview } = stage;
    setStage({ stage: 'running', target, action, preview });
    const answer = await keyline.invoke('inspect.action.run', { target, action });
    setStage({ stage: 'idle' });
    if (!answer.ok) setNotice({ kind: 'failed', text: answer.error.message });
    else if (answer.value.outcome === 'notAllowed') {
      setNotice({ kind: 'notAllowed', text: `Not allowed for you. ${answer.value.reason ?? ''}`.trim() });
    } else {
      setNotice({ kind: 'done', text: `${preview.title}: ${answer.value.message}` });
      changed.current();
    }
  }, [keyline, stage]);

  const cancel = useCallback(() => setStage({ stage: 'idle' }), []);
  return { stage, notice, start, confirm, cancel };
}

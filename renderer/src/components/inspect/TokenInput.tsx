import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';

/**
 * Where the token is pasted: masked by default, cleared the moment it is sent, never given a
 * `name` (so no form history keeps it) and never spell-checked (which could send it elsewhere).
 */
export function TokenInput({ busy, onDecode }: { busy: boolean; onDecode: (text: string) => void }) {
  const [text, setText] = useState('');
  const [shown, setShown] = useState(false);
  const id = useId();

  const submit = (event?: FormEvent | KeyboardEvent) => {
    event?.preventDefault();
    if (busy) return;
    const pasted = text;
    setText('');
    onDecode(pasted);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit(event);
  };

  return (
    <form className="token-form" onSubmit={submit}>
      <label htmlFor={`${id}-text`}>Token</label>
      <textarea
        id={`${id}-text`}
        className={shown ? 'token-text' : 'token-text token-text-masked'}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        rows={4}
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        spellCheck={false}
        aria-describedby={`${id}-help`}
      />
      <p id={`${id}-help`} className="hint">
        Paste a device, API or OAuth token. It goes to the station for this lookup only and is never stored or logged;
        the field is cleared once it is sent. Ctrl+Enter decodes.
      </p>
      <div className="token-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          Decode
        </button>
        <button type="button" className="button" onClick={() => setText('')}>
          Clear
        </button>
        <label className="token-show">
          <input type="checkbox" checked={shown} onChange={(event) => setShown(event.target.checked)} />
          Show token
        </label>
      </div>
    </form>
  );
}

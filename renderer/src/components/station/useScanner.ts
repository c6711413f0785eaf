import { useEffect } from 'react';
import { ScanBuffer } from './scanner';

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return (
    target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'range'].includes(target.type)
  );
}

/**
 * Listens for a barcode scanner anywhere on the screen (except in text fields, where the scan
 * simply types into the field). A scan's Enter is swallowed, so it never presses the focused button.
 */
export function useScanner(onScan: (text: string) => void): void {
  useEffect(() => {
    const buffer = new ScanBuffer();
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.altKey || event.metaKey || isTextField(event.target)) return;
      if (event.key === 'Enter') {
        const scan = buffer.enter(event.timeStamp);
        if (scan) {
          event.preventDefault();
          event.stopPropagation();
          onScan(scan);
        }
        return;
      }
      if (event.key.length === 1) buffer.key(event.key, event.timeStamp);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onScan]);
}

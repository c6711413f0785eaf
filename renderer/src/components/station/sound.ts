/**
 * Pass and fail sounds, made with Web Audio (no sound files, nothing for the CSP to allow): two
 * rising notes for a pass, a low double buzz for a fail, so they differ without looking.
 */
let context: AudioContext | undefined;

/**
 * Creates the audio context on a click (Start all, Retry): browsers allow sound only after a
 * gesture, and creating the context takes long enough (tens of ms) that it should not happen
 * while lanes report.
 */
export function primeSound(): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
  } catch {
    // No audio here: nothing to prime.
  }
}

export function playOutcomeSound(kind: 'pass' | 'fail'): void {
  try {
    context ??= new AudioContext();
    const ctx = context;
    if (ctx.state === 'suspended') void ctx.resume();
    const notes = kind === 'pass' ? [660, 880] : [220, 180];
    notes.forEach((frequency, index) => {
      const start = ctx.currentTime + index * 0.16;
      const oscillator = ctx.createOscillator();
      const gain = ctx.createGain();
      oscillator.type = kind === 'pass' ? 'sine' : 'square';
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(kind === 'pass' ? 0.25 : 0.12, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.14);
      oscillator.connect(gain).connect(ctx.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.15);
    });
  } catch {
    // No audio device (a headless line PC): the screen and the live region still say it.
  }
}

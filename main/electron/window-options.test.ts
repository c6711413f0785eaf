import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from './window-options';

describe('main window options', () => {
  const options = mainWindowOptions('/app/dist/preload/preload.cjs');
  const prefs = options.webPreferences!;

  it('isolates the page from Node and from the preload', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and refuses webviews and insecure content', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('loads the bundled preload and fits a 1024x700 bench screen', () => {
    expect(prefs.preload).toBe('/app/dist/preload/preload.cjs');
    expect(options.minWidth).toBeLessThanOrEqual(1024);
    expect(options.minHeight).toBeLessThanOrEqual(700);
  });
});

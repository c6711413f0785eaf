/**
 * Entry of the Electron app. One of the few files that import `electron`: it owns the app
 * lifecycle and wires the window to the station's services through the contract.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Notification, protocol, session, shell } from 'electron';
import { composeStation } from '../host/compose';
import { appSchemePrivileges, serveAppScheme } from './app-protocol';
import { denyNavigation, denyPermissions } from './harden';
import { bindContract, forwardEvents } from './ipc-binding';
import { saveFileDialog, showStationNotifications } from './station-shell';
import { APP_ENTRY_URL, mainWindowOptions } from './window-options';

protocol.registerSchemesAsPrivileged(appSchemePrivileges);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void main();
}

async function main(): Promise<void> {
  // Every web contents, including ones we never asked for, gets the same rules.
  app.on('web-contents-created', (_event, contents) => denyNavigation(contents));
  await app.whenReady();

  const rendererDir = path.join(__dirname, '..', 'renderer');
  serveAppScheme(protocol, rendererDir);
  denyPermissions(session.defaultSession);

  // The sign-in service hands over only the vetted authorization URL (DESIGN.md §3).
  const station = await composeStation({
    host: 'electron',
    sandbox: 'auto',
    openExternal: (url) => shell.openExternal(url),
    saveFile: (suggestion) => saveFileDialog(dialog, suggestion),
  });
  const unbind = bindContract(ipcMain, station.dispatch);
  const stopNotifications = showStationNotifications(station.events, Notification);

  const window = new BrowserWindow(mainWindowOptions(path.join(__dirname, '..', 'preload', 'preload.cjs')));
  const stopEvents = forwardEvents(station.events, window.webContents);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(APP_ENTRY_URL);

  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    stopEvents();
    stopNotifications();
    unbind();
    void station.close();
  });
}

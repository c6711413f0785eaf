import type { Handlers } from '../../host/dispatcher';
import type { HistoryService, SaveFilePicker } from './history-service';

type HistoryHandlers = Pick<Handlers, 'history.list' | 'history.integrity' | 'history.export'>;

/**
 * The contract methods `history.*`. An export goes to the save dialog in the Electron app, and
 * back to the window as text in the web host (the browser saves it as a download).
 */
export function historyHandlers(service: HistoryService, saveFile?: SaveFilePicker): HistoryHandlers {
  return {
    'history.list': (query) => service.list(query),
    'history.integrity': () => service.integrity(),
    'history.export': ({ format }, context) =>
      service.export(format, context.host === 'electron' ? saveFile : undefined),
  };
}

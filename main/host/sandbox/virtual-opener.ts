import { SerialPortStream } from '@serialport/stream';
import { DEFAULT_BAUD_RATE } from '../../../common/serial';
import { DeviceClient, FrameParser, openError, SerialError, type SerialItem } from '../../serial';
import type { SecretRedactor } from '../../security/secret-redactor';
import type { DeviceOpener, OpenedDevice } from '../../station';
import type { VirtualBinding } from './virtual-binding';

/**
 * Opens a virtual port the way the serial link opens a tty: a `SerialPortStream` (here over the
 * sandbox's binding), the frame parser, and the protocol client, with the same error mapping.
 */
export function virtualOpener(binding: VirtualBinding, redactor: SecretRedactor): DeviceOpener {
  return async (path, signal) => {
    if (signal?.aborted) throw new SerialError('SERIAL_ABORTED', `Opening ${path} was cancelled.`, { port: path });
    const baudRate = DEFAULT_BAUD_RATE;
    const port = new SerialPortStream({ binding, path, baudRate, autoOpen: false });
    try {
      await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    } catch (error) {
      throw await openError(path, error);
    }
    const parser = new FrameParser({ baudRate });
    let closing = false;
    const client = new DeviceClient({
      portName: path,
      redactor,
      baudRate,
      write: (bytes) =>
        new Promise<void>((resolve, reject) => {
          if (!port.isOpen) {
            reject(new SerialError('SERIAL_PORT_CLOSED', `${path} is not open.`, { port: path }));
            return;
          }
          port.write(Buffer.from(bytes), (error) =>
            error
              ? reject(
                  new SerialError('SERIAL_DEVICE_GONE', `${path} stopped accepting data.`, {
                    port: path,
                    cause: error,
                  }),
                )
              : resolve(),
          );
        }),
      isPresent: () => Promise.resolve(binding.has(path)),
    });
    port.pipe(parser);
    parser.on('data', (item: SerialItem) => client.receive(item));
    const close = async () => {
      if (closing) return;
      closing = true;
      client.fail(new SerialError('SERIAL_PORT_CLOSED', `${path} was closed by the station.`, { port: path }));
      port.unpipe(parser);
      parser.destroy();
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    };
    port.on('close', (error?: Error) => {
      if (closing) return;
      client.fail(
        error
          ? new SerialError('SERIAL_DEVICE_GONE', `${path} disappeared: the simulated unit was unplugged.`, {
              port: path,
            })
          : new SerialError('SERIAL_PORT_CLOSED', `${path} was closed.`, { port: path }),
      );
      void close();
    });
    port.on('error', () => undefined);
    const opened: OpenedDevice = { path, client, close };
    return opened;
  };
}

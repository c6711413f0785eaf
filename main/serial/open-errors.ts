import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import { SerialError } from './errors';

export interface OpenErrorEnvironment {
  platform: NodeJS.Platform;
  /** Name of the user running the station, for the command to paste. */
  user: string;
  /** Group id of a device node; undefined when it cannot be read. */
  deviceGroup(path: string): Promise<number | undefined>;
  /** Contents of /etc/group. */
  groupFile(): Promise<string>;
}

export const systemOpenErrorEnvironment: OpenErrorEnvironment = {
  platform: process.platform,
  user: safeUserName(),
  deviceGroup: async (path) => (await stat(path).catch(() => undefined))?.gid,
  groupFile: () => readFile('/etc/group', 'utf8').catch(() => ''),
};

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return '$USER';
  }
}

/** The errno behind a serialport open failure: bindings-cpp reports strerror text, not always a code. */
function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  const message = error instanceof Error ? error.message : String(error);
  if (/Permission denied/i.test(message)) return 'EACCES';
  if (/Cannot lock port|Resource temporarily unavailable/i.test(message)) return 'EAGAIN';
  if (/Device or resource busy/i.test(message)) return 'EBUSY';
  if (/No such file or directory/i.test(message)) return 'ENOENT';
  if (/No such device/i.test(message)) return 'ENXIO';
  if (/Access denied|File not found/i.test(message)) return message.includes('Access') ? 'EACCES' : 'ENOENT';
  return undefined;
}

const SERIAL_GROUPS = new Set(['dialout', 'uucp', 'plugdev', 'serial']);

/**
 * Turns a failure to open a port into the error a technician can act on, with the exact command
 * for the usual Linux causes: not in the `dialout` group, another program holding the port,
 * ModemManager probing a CDC-ACM device.
 */
export async function openError(
  path: string,
  error: unknown,
  environment: OpenErrorEnvironment = systemOpenErrorEnvironment,
): Promise<SerialError> {
  const errno = errnoOf(error);
  const details = { port: path, cause: error };
  if (errno === 'EACCES' || errno === 'EPERM') {
    if (environment.platform !== 'linux') {
      return new SerialError(
        'SERIAL_PERMISSION_DENIED',
        `Permission denied opening ${path}. Another user or program owns it, or the operating system blocks access; check the port's permissions.`,
        details,
      );
    }
    const group = await groupName(path, environment);
    const user = environment.user;
    return new SerialError(
      'SERIAL_PERMISSION_DENIED',
      `Permission denied opening ${path}: your user "${user}" may not use serial ports. ` +
        `On Linux they belong to the "${group}" group. Run: sudo usermod -aG ${group} ${user} ` +
        `and then log out and back in. Or allow USB serial adapters for everyone at the console with a udev rule: ` +
        `echo 'SUBSYSTEM=="tty", ENV{ID_BUS}=="usb", MODE="0660", GROUP="${group}", TAG+="uaccess"' | ` +
        `sudo tee /etc/udev/rules.d/60-keyline-serial.rules && sudo udevadm control --reload-rules && sudo udevadm trigger`,
      details,
    );
  }
  if (errno === 'EAGAIN' || errno === 'EWOULDBLOCK' || errno === 'EBUSY') {
    const modemManager = /ttyACM/.test(path)
      ? ' On Linux, ModemManager often grabs ttyACM devices for a few seconds after they appear: wait and retry, or stop it with: sudo systemctl stop ModemManager.'
      : '';
    return new SerialError(
      'SERIAL_PORT_BUSY',
      `${path} is in use by another program (a serial monitor, screen or minicom, an IDE, or another Keyline window). ` +
        `Close it and retry.${environment.platform === 'linux' ? ` To see which program has it: sudo fuser -v ${path}.` : ''}${modemManager}`,
      details,
    );
  }
  if (errno === 'ENOENT' || errno === 'ENXIO' || errno === 'ENODEV') {
    return new SerialError(
      'SERIAL_PORT_NOT_FOUND',
      `${path} does not exist (any more): the device was unplugged, or its port name changed after a reconnect. Plug it in and choose the port again.`,
      details,
    );
  }
  return new SerialError(
    'SERIAL_OPEN_FAILED',
    `Could not open ${path} (${errno ?? 'unknown error'}). Unplug the adapter, plug it back in and retry.`,
    details,
  );
}

async function groupName(path: string, environment: OpenErrorEnvironment): Promise<string> {
  const gid = await environment.deviceGroup(path);
  if (gid === undefined) return 'dialout';
  for (const line of (await environment.groupFile()).split('\n')) {
    const [name, , id] = line.split(':');
    if (name && Number(id) === gid) return SERIAL_GROUPS.has(name) ? name : 'dialout';
  }
  return 'dialout';
}

import type { PortDiagnosis, Fix } from '../../../common/contract/ports';

/** Groups that own serial devices on the usual Linux distributions. */
const SERIAL_GROUPS = new Set(['dialout', 'uucp', 'plugdev', 'serial', 'tty']);

export function serialGroup(deviceGroup: string | undefined): string {
  return deviceGroup && SERIAL_GROUPS.has(deviceGroup) && deviceGroup !== 'tty' ? deviceGroup : 'dialout';
}

export function udevRule(group: string): string {
  return (
    `echo 'SUBSYSTEM=="tty", ENV{ID_BUS}=="usb", MODE="0660", GROUP="${group}", TAG+="uaccess"' | ` +
    `sudo tee /etc/udev/rules.d/60-keyline-serial.rules && sudo udevadm control --reload-rules && sudo udevadm trigger`
  );
}

/** EACCES on a port: the user is not in the group that owns serial devices (Linux), or another user owns it. */
export function permissionDiagnosis(
  portPath: string,
  facts: { platform: NodeJS.Platform; user: string; deviceGroup: string | undefined; groups: string[] },
): PortDiagnosis {
  if (facts.platform !== 'linux') {
    return {
      code: 'SERIAL_PERMISSION_DENIED',
      severity: 'error',
      title: 'Permission denied',
      message: `Keyline may not open ${portPath}: another user or program owns it, or the system blocks access.`,
      fixes: [
        {
          text:
            facts.platform === 'darwin'
              ? 'Close other programs using the port; on macOS use the /dev/cu.* name of the adapter.'
              : 'Close other programs using the port, then unplug the adapter and plug it back in.',
        },
      ],
    };
  }
  const group = serialGroup(facts.deviceGroup);
  const inGroup = facts.groups.includes(group);
  return {
    code: 'SERIAL_PERMISSION_DENIED',
    severity: 'error',
    title: 'Permission denied',
    message: inGroup
      ? `Permission denied opening ${portPath}: your user "${facts.user}" is in the "${group}" group, but this login session started before it was added, or the device belongs to another group (${facts.deviceGroup ?? 'unknown'}).`
      : `Permission denied opening ${portPath}: your user "${facts.user}" may not use serial ports. On Linux they belong to the "${group}" group, and "${facts.user}" is not in it.`,
    fixes: [
      {
        text: inGroup
          ? 'Log out and back in (or reboot) so the group applies.'
          : `Add "${facts.user}" to the "${group}" group, then log out and back in:`,
        ...(inGroup ? {} : { command: `sudo usermod -aG ${group} ${facts.user}` }),
      },
      {
        text: 'Or allow USB serial adapters for whoever sits at the console, with a udev rule:',
        command: udevRule(group),
      },
    ],
  };
}

export function busyDiagnosis(
  portPath: string,
  holders: Array<{ pid: number; command: string }>,
  platform: NodeJS.Platform,
): PortDiagnosis {
  const who = holders.map((holder) => `${holder.command} (pid ${holder.pid})`).join(', ');
  const fixes: Fix[] = holders.map((holder) => ({
    text: `Close ${holder.command} (a serial monitor, screen or minicom, an IDE...), or end it:`,
    command: `kill ${holder.pid}`,
  }));
  if (platform === 'linux')
    fixes.push({ text: 'To see every program that has the port open:', command: `sudo fuser -v ${portPath}` });
  return {
    code: 'SERIAL_PORT_BUSY',
    severity: 'error',
    title: 'In use by another program',
    message: who
      ? `${portPath} is open in ${who}. Only one program can talk to a serial port at a time.`
      : `${portPath} is in use by another program (a serial monitor, screen or minicom, an IDE, or another Keyline window).`,
    fixes,
  };
}

export function modemManagerDiagnosis(portPath: string, vendorId: string | undefined): PortDiagnosis {
  const vendor = vendorId ?? 'xxxx';
  return {
    code: 'MODEMMANAGER_INTERFERENCE',
    severity: 'warning',
    title: 'ModemManager may grab this port',
    message: `ModemManager is running, and it probes ttyACM devices like ${portPath} for a few seconds after they appear: the first requests time out or the port is busy.`,
    fixes: [
      { text: 'Stop it for now:', command: 'sudo systemctl stop ModemManager' },
      {
        text: 'Or tell it to leave this adapter alone, for good:',
        command:
          `echo 'ATTRS{idVendor}=="${vendor}", ENV{ID_MM_DEVICE_IGNORE}="1"' | sudo tee /etc/udev/rules.d/61-keyline-modemmanager.rules` +
          ' && sudo udevadm control --reload-rules && sudo udevadm trigger',
      },
      { text: 'Or, on a bench PC without a modem, turn it off:', command: 'sudo systemctl disable --now ModemManager' },
    ],
  };
}

export function goneDiagnosis(portPath: string): PortDiagnosis {
  return {
    code: 'SERIAL_PORT_NOT_FOUND',
    severity: 'error',
    title: 'Device missing',
    message: `${portPath} does not exist (any more): the device was unplugged, or its port name changed after a reconnect.`,
    fixes: [{ text: 'Plug it back in. Keyline finds it again by its USB serial number or socket.' }],
  };
}

export function sandboxDiagnosis(): PortDiagnosis {
  return {
    code: 'SANDBOX_REAL_PORT',
    severity: 'info',
    title: 'sandbox — switch profile',
    message:
      'The sandbox provisions its simulated devices only, so a real device never gets credentials for a platform that exists only on this computer.',
    fixes: [
      { text: 'To provision this device, sign in to a real platform profile in Settings (Platform: real platform).' },
    ],
  };
}

export function noDeviceFinding(platform: NodeJS.Platform, filteredCount: number): PortDiagnosis {
  const fixes: Fix[] = [
    { text: 'Check that the device is powered and the USB cable carries data (many charging cables do not).' },
  ];
  if (platform === 'linux') {
    fixes.push({
      text: 'Watch the kernel log while you plug the device in; a line naming ttyUSB or ttyACM should appear:',
      command: 'sudo dmesg --follow',
    });
  } else if (platform === 'darwin') {
    fixes.push({
      text: 'CH34x and some CP210x adapters need their vendor driver on macOS; the port then appears as /dev/cu.*.',
    });
  } else if (platform === 'win32') {
    fixes.push({
      text: 'Open Device Manager → Ports (COM & LPT); a yellow mark means the adapter needs its driver (CH34x, CP210x).',
    });
  }
  if (filteredCount > 0) {
    fixes.push({
      text: 'A port was left out below: if it is your adapter, add its USB id in Settings or allow unknown adapters.',
    });
  }
  return {
    code: 'NO_DEVICE_FOUND',
    severity: 'warning',
    title: 'No serial device found',
    message: 'Keyline found no USB serial adapter it can use.',
    fixes,
  };
}

export function notInGroupFinding(user: string, group: string): PortDiagnosis {
  return {
    code: 'NOT_IN_SERIAL_GROUP',
    severity: 'warning',
    title: `"${user}" is not in the "${group}" group`,
    message: `On Linux, serial ports belong to the "${group}" group: without it, every real port will answer "Permission denied".`,
    fixes: [
      { text: `Add "${user}" to the group, then log out and back in:`, command: `sudo usermod -aG ${group} ${user}` },
      { text: 'Or use a udev rule that gives the console user access:', command: udevRule(group) },
    ],
  };
}

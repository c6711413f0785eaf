/**
 * What a typical ESP32-class unit prints while it starts: the ROM banner (at the ROM's own baud
 * rate, so it arrives as garbage bytes at 115200, 0xF5 included), the second-stage bootloader and
 * the application's first lines. The station must keep all of it as log text and still find the
 * frames that follow.
 */
export interface BootLogInput {
  reason: string;
  model: string;
  fw: string;
  hwid: string;
  random: () => number;
}

export function bootNoise(random: () => number): Uint8Array {
  const bytes = new Uint8Array(12 + Math.floor(random() * 24));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  // A ROM banner at 74880 baud read at 115200 often contains 0xF5 0x4B-like pairs; make sure it does.
  bytes[Math.floor(bytes.length / 2)] = 0xf5;
  bytes[bytes.length - 1] = 0x0a;
  return bytes;
}

const RESET_CODES: Record<string, string> = {
  'power-on': 'rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
  reset: 'rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
  requested: 'rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
  watchdog: 'rst:0x7 (TG0WDT_SYS_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
  brownout: 'rst:0xf (RTCWDT_BROWN_OUT_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
  crash: 'rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
};

export function bootLines(input: BootLogInput): string[] {
  return [
    'ets Jun  8 2016 00:22:57',
    '',
    RESET_CODES[input.reason] ?? RESET_CODES['reset']!,
    'configsip: 0, SPIWP:0xee',
    'clk_drv:0x00,q_drv:0x00,d_drv:0x00,cs0_drv:0x00,hd_drv:0x00,wp_drv:0x00',
    'mode:DIO, clock div:2',
    'load:0x3fff0030,len:7104',
    'entry 0x400805f0',
    'I (29) boot: ESP-IDF v5.1.2 2nd stage bootloader',
    'I (29) boot: compile time Jan 12 2026 10:41:07',
    'I (31) boot: Multicore bootloader',
    'I (36) boot: chip revision: v3.0',
    'I (98) boot: Loaded app from partition at offset 0x10000',
    'I (210) cpu_start: Pro cpu start user code',
    `I (228) app_init: Application information: keyline-fw ${input.fw}`,
    'I (240) heap_init: Initializing. RAM available for dynamic allocation:',
    `I (262) keyline: model ${input.model} hwid ${input.hwid} firmware ${input.fw}`,
    'I (270) nvs: reading credential table (A/B)',
  ];
}

const CHATTER = [
  () => 'I (%t) wifi: sta rssi %r dBm',
  () => 'I (%t) heap: free %h bytes, min %m',
  () => 'D (%t) sensor: temperature 23.%d C',
  () => 'W (%t) wifi: beacon timeout, reconnecting',
  () => 'I (%t) app: idle',
];

/** A background log line, like the ones a running unit prints now and then. */
export function chatterLine(uptimeMs: number, random: () => number): string {
  const pick = CHATTER[Math.floor(random() * CHATTER.length)]!();
  return pick
    .replace('%t', String(Math.floor(uptimeMs)))
    .replace('%r', String(-40 - Math.floor(random() * 40)))
    .replace('%h', String(150000 + Math.floor(random() * 20000)))
    .replace('%m', String(120000 + Math.floor(random() * 10000)))
    .replace('%d', String(Math.floor(random() * 10)));
}

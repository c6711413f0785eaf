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
export declare function bootNoise(random: () => number): Uint8Array;
export declare function bootLines(input: BootLogInput): string[];
/** A background log line, like the ones a running unit prints now and then. */
export declare function chatterLine(uptimeMs: number, random: () => number): string;

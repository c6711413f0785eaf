import { crc32 } from './crc32';

/**
 * Frame layout (docs/serial-protocol.md §2). Every integer is little-endian.
 *
 *   offset  size  field
 *   0       1     magic0 = 0xF5  (never appears in valid UTF-8, so never in a log line)
 *   1       1     magic1 = 0x4B  ('K')
 *   2       1     protocol major version (1)
 *   3       1     type: 0x01 request, 0x02 reply, 0x03 event
 *   4       2     request id (u16; 0 only in events)
 *   6       2     payload length N (u16, 0..16384)
 *   8       2     N XOR 0xFFFF (guards the length so a damaged header is refused at once)
 *   10      N     payload: one UTF-8 JSON object
 *   10+N    4     CRC-32/ISO-HDLC over bytes [0, 10+N)
 */
export const MAGIC0 = 0xf5;
export const MAGIC1 = 0x4b;
export const HEADER_SIZE = 10;
export const CRC_SIZE = 4;
export const MAX_PAYLOAD = 16384;
export const MAX_FRAME = HEADER_SIZE + MAX_PAYLOAD + CRC_SIZE;
export const PROTOCOL_VERSION = 1;

export const FrameType = { request: 0x01, reply: 0x02, event: 0x03 } as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export function isFrameType(value: number): value is FrameType {
  return value === FrameType.request || value === FrameType.reply || value === FrameType.event;
}

export interface Frame {
  version: number;
  type: FrameType;
  id: number;
  payload: Uint8Array;
}

export class FrameEncodeError extends Error {}

export function encodeFrame(frame: Frame): Uint8Array {
  const length = frame.payload.length;
  if (length > MAX_PAYLOAD) throw new FrameEncodeError(`payload of ${length} bytes exceeds ${MAX_PAYLOAD}`);
  if (!Number.isInteger(frame.id) || frame.id < 0 || frame.id > 0xffff) throw new FrameEncodeError('bad id');
  if (!Number.isInteger(frame.version) || frame.version < 0 || frame.version > 0xff) {
    throw new FrameEncodeError('bad version');
  }
  const bytes = new Uint8Array(HEADER_SIZE + length + CRC_SIZE);
  bytes[0] = MAGIC0;
  bytes[1] = MAGIC1;
  bytes[2] = frame.version;
  bytes[3] = frame.type;
  writeU16(bytes, 4, frame.id);
  writeU16(bytes, 6, length);
  writeU16(bytes, 8, length ^ 0xffff);
  bytes.set(frame.payload, HEADER_SIZE);
  writeU32(bytes, HEADER_SIZE + length, crc32(bytes, 0, HEADER_SIZE + length));
  return bytes;
}

export interface FrameHeader {
  version: number;
  type: number;
  id: number;
  length: number;
}

/**
 * Reads a header from `bytes[offset, offset+10)`. Returns undefined when it cannot start a frame:
 * wrong magic, length and its complement disagree, length above `maxPayload`, or unknown type.
 * The version is not judged here: a reply in another version must still reach the client so it
 * can say "protocol version unsupported" instead of "timeout".
 */
export function readHeader(bytes: Uint8Array, offset = 0, maxPayload = MAX_PAYLOAD): FrameHeader | undefined {
  if (bytes.length - offset < HEADER_SIZE) return undefined;
  if (bytes[offset] !== MAGIC0 || bytes[offset + 1] !== MAGIC1) return undefined;
  const length = readU16(bytes, offset + 6);
  if ((length ^ readU16(bytes, offset + 8)) !== 0xffff) return undefined;
  if (length > maxPayload) return undefined;
  const type = bytes[offset + 3]!;
  if (!isFrameType(type)) return undefined;
  return { version: bytes[offset + 2]!, type, id: readU16(bytes, offset + 4), length };
}

export function readU16(bytes: Uint8Array, offset: number): number {
  return bytes[offset]! | (bytes[offset + 1]! << 8);
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
}

function writeU16(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
}

function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = (value >>> 24) & 0xff;
}

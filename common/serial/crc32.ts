/**
 * CRC-32/ISO-HDLC, the zlib/Ethernet/PNG CRC: polynomial 0x04C11DB7 processed reflected
 * (0xEDB88320), initial value 0xFFFFFFFF, final XOR 0xFFFFFFFF. `crc32("123456789") === 0xCBF43926`.
 * Every firmware SDK ships it (esp_crc32_le, zlib's crc32, STM32 HAL with the right settings).
 */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC of `bytes[start, end)`; pass a previous result as `seed` to continue a running CRC. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, seed = 0): number {
  let crc = (seed ^ 0xffffffff) >>> 0;
  for (let i = start; i < end; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

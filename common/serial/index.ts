/** The serial protocol's codec, shared by the station (main/serial) and the device simulator. */
export * from './crc32';
export * from './frame';
export * from './stream-decoder';
export * from './operations';
export * from './messages';
export * from './json-payload';
export * from './utf8';

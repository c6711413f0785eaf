/**
 * USB serial adapters Keyline knows, by vendor and product id (lowercase hex). CDC-ACM devices
 * (ttyACM*, native USB on ESP32-S3, RP2040, STM32, nRF) are serial ports whatever their ids.
 */
export type AdapterFamily = 'CP210x' | 'CH34x' | 'FTDI' | 'CDC-ACM';

export const KNOWN_ADAPTERS: ReadonlyArray<{ vendorId: string; productIds: readonly string[]; family: AdapterFamily }> =
  [
    // Silicon Labs CP2102/CP2102N/CP2104/CP2105/CP2108.
    { vendorId: '10c4', productIds: ['ea60', 'ea61', 'ea63', 'ea70', 'ea71', 'ea7a', 'ea7b'], family: 'CP210x' },
    // WCH CH340/CH341/CH343/CH9102/CH9104.
    {
      vendorId: '1a86',
      productIds: ['7523', '7522', '5523', '55d3', '55d4', '55d5', '55d8', '55de', '55d2'],
      family: 'CH34x',
    },
    // FTDI FT232R/FT2232/FT4232/FT232H/FT-X.
    { vendorId: '0403', productIds: ['6001', '6010', '6011', '6014', '6015'], family: 'FTDI' },
  ];

/**
 * Serial numbers that many units share (CP210x clones ship "0001"; some FTDI clones a fixed
 * string): never a key for a lane even when only one such adapter is plugged in right now.
 */
export const SHARED_SERIAL_NUMBERS = new Set(['0001', '0000', '00000000', '1234', '123456', 'A50285BI', 'FT232R']);

export function adapterFamily(vendorId: string | undefined, productId: string | undefined): AdapterFamily | undefined {
  if (!vendorId || !productId) return undefined;
  const vendor = vendorId.toLowerCase();
  const product = productId.toLowerCase();
  return KNOWN_ADAPTERS.find((known) => known.vendorId === vendor && known.productIds.includes(product))?.family;
}

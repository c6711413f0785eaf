export function findElectronBinary(options?: { download?: boolean }): string | undefined;

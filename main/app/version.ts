/** Replaced at build time by esbuild and Vitest (`define`), from package.json. */
declare const __KEYLINE_VERSION__: string;

export const KEYLINE_VERSION: string = typeof __KEYLINE_VERSION__ === 'string' ? __KEYLINE_VERSION__ : '0.0.0-dev';

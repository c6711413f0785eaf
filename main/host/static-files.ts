import { readFile } from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.map': 'application/json; charset=utf-8',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/**
 * Resolves a URL path to a file inside `root`, or undefined. Paths that escape the root (`..`,
 * encoded or not), hidden files and unknown types are refused. Unknown routes without an
 * extension fall back to index.html, so the single-page app can own its routes.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const resolved = path.resolve(root, relative);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) return undefined;
  if (relative.split('/').some((part) => part.startsWith('.'))) return undefined;
  const extension = path.extname(resolved);
  const target = extension === '' ? path.join(root, 'index.html') : resolved;
  const contentType = CONTENT_TYPES[path.extname(target)];
  if (!contentType) return undefined;
  try {
    return { body: await readFile(target), contentType };
  } catch {
    return undefined;
  }
}

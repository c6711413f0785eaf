/** Why an answer's body could not be used; the transport turns these into typed errors. */
export type BodyProblem =
  | { kind: 'too-large'; limit: number }
  | { kind: 'not-json'; contentType: string }
  | { kind: 'malformed' }
  | { kind: 'interrupted'; cause: unknown };

export class BodyError extends Error {
  constructor(readonly problem: BodyProblem) {
    super(`response body: ${problem.kind}`);
    this.name = 'BodyError';
  }
}

export function isJsonContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  const mime = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}

/**
 * Reads a body as UTF-8 text, counting bytes as they stream in and cancelling the stream past
 * `limit`: a broken or hostile server cannot make the station buffer an unbounded answer.
 */
export async function readLimitedText(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyError({ kind: 'too-large', limit });
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw new BodyError({ kind: 'too-large', limit });
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof BodyError) throw error;
    throw new BodyError({ kind: 'interrupted', cause: error });
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BodyError({ kind: 'malformed' });
  }
}

/** Reads and parses a JSON answer; anything else is a BodyError. */
export async function readJson(response: Response, limit: number): Promise<unknown> {
  const contentType = response.headers.get('content-type');
  if (!isJsonContentType(contentType)) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyError({ kind: 'not-json', contentType: contentType ?? 'no content type' });
  }
  const text = await readLimitedText(response, limit);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError({ kind: 'malformed' });
  }
}

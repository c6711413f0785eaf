import { z } from 'zod';

/**
 * Messages of the web host's WebSocket. The Electron host does not use these: IPC carries calls
 * and events natively. Both end in the same dispatcher.
 */
export const WIRE_PROTOCOL = 'keyline.v1';
/** The per-launch token travels as a second WebSocket subprotocol, never in a URL the server logs. */
export const WIRE_TOKEN_PREFIX = 'keyline.token.';
export const WIRE_MAX_MESSAGE_BYTES = 1024 * 1024;

export const WireCall = z.strictObject({
  type: z.literal('call'),
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(200),
  args: z.unknown(),
});
export type WireCall = z.infer<typeof WireCall>;

export const WireErrorInfo = z.strictObject({ code: z.string(), message: z.string() });

export const WireServerMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('result'),
    id: z.number(),
    result: z.union([
      z.strictObject({ ok: z.literal(true), value: z.unknown() }),
      z.strictObject({ ok: z.literal(false), error: WireErrorInfo }),
    ]),
  }),
  z.strictObject({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
  z.strictObject({ type: z.literal('error'), error: WireErrorInfo }),
]);
export type WireServerMessage = z.infer<typeof WireServerMessage>;

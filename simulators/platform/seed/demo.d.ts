import type { SeedSpecInput } from './spec';
/** Redirect URIs of the station's public client: loopback, any port (RFC 8252 §7.3). */
export declare const STATION_REDIRECT_URIS: string[];
export declare const STATION_CLIENT_ID = "keyline-station";
/**
 * The demo factory: Brightwater Instruments builds cold-chain probes on line 3. A technician who
 * provisions them (collaborate), a read-only support engineer (view), an engineer (edit) and an
 * administrator; devices of every class; keys restricted by device and by tag, an inactive key and
 * a deleted one; an all-permissions application token, a read-only one and an expired one.
 */
export declare const DEMO_SEED: SeedSpecInput;

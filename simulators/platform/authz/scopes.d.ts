import type { Capability } from './roles';
/**
 * The calls the simulator serves, named after the official client's methods (which are also the
 * scope names), with what each touches. `level` decides which scope groups can cover the call;
 * `sensitive` calls (token management) are outside every `.bounded` group.
 */
export type CallLevel = 'user' | 'org' | 'orgApps' | 'application' | 'device';
export interface CallSpec {
    level: CallLevel;
    capability: Capability | null;
    sensitive?: boolean;
}
export declare const CALLS: {
    readonly 'me.get': {
        readonly level: "user";
        readonly capability: null;
    };
    readonly 'orgs.get': {
        readonly level: "org";
        readonly capability: "read";
    };
    readonly 'org.get': {
        readonly level: "org";
        readonly capability: "read";
    };
    readonly 'applications.get': {
        readonly level: "orgApps";
        readonly capability: "read";
    };
    readonly 'application.get': {
        readonly level: "application";
        readonly capability: "read";
    };
    readonly 'devices.get': {
        readonly level: "application";
        readonly capability: "read";
    };
    readonly 'devices.post': {
        readonly level: "application";
        readonly capability: "deviceWrite";
    };
    readonly 'device.get': {
        readonly level: "device";
        readonly capability: "read";
    };
    readonly 'device.patch': {
        readonly level: "device";
        readonly capability: "deviceWrite";
    };
    readonly 'device.delete': {
        readonly level: "device";
        readonly capability: "deviceWrite";
    };
    readonly 'device.sendState': {
        readonly level: "device";
        readonly capability: "deviceWrite";
    };
    readonly 'device.getCompositeState': {
        readonly level: "device";
        readonly capability: "read";
    };
    readonly 'device.getLogEntries': {
        readonly level: "device";
        readonly capability: "read";
    };
    readonly 'applicationKeys.get': {
        readonly level: "application";
        readonly capability: "read";
    };
    readonly 'applicationKeys.post': {
        readonly level: "application";
        readonly capability: "keyWrite";
    };
    readonly 'applicationKey.get': {
        readonly level: "application";
        readonly capability: "read";
    };
    readonly 'applicationKey.patch': {
        readonly level: "application";
        readonly capability: "keyWrite";
    };
    readonly 'applicationKey.delete': {
        readonly level: "application";
        readonly capability: "keyWrite";
    };
    readonly 'applicationApiTokens.get': {
        readonly level: "application";
        readonly capability: "read";
    };
    readonly 'applicationApiTokens.post': {
        readonly level: "application";
        readonly capability: "tokenWrite";
        readonly sensitive: true;
    };
    readonly 'applicationApiToken.get': {
        readonly level: "application";
        readonly capability: "read";
    };
    readonly 'applicationApiToken.patch': {
        readonly level: "application";
        readonly capability: "tokenWrite";
        readonly sensitive: true;
    };
    readonly 'applicationApiToken.delete': {
        readonly level: "application";
        readonly capability: "tokenWrite";
        readonly sensitive: true;
    };
    readonly 'userApiTokens.get': {
        readonly level: "user";
        readonly capability: null;
    };
    readonly 'userApiTokens.post': {
        readonly level: "user";
        readonly capability: null;
        readonly sensitive: true;
    };
    readonly 'userApiToken.get': {
        readonly level: "user";
        readonly capability: null;
    };
    readonly 'userApiToken.patch': {
        readonly level: "user";
        readonly capability: null;
        readonly sensitive: true;
    };
    readonly 'userApiToken.delete': {
        readonly level: "user";
        readonly capability: null;
        readonly sensitive: true;
    };
    readonly 'userOauthTokens.get': {
        readonly level: "user";
        readonly capability: null;
    };
    readonly 'userOauthToken.get': {
        readonly level: "user";
        readonly capability: null;
    };
    readonly 'userOauthToken.patch': {
        readonly level: "user";
        readonly capability: null;
        readonly sensitive: true;
    };
    readonly 'userOauthToken.delete': {
        readonly level: "user";
        readonly capability: null;
        readonly sensitive: true;
    };
};
export type CallName = keyof typeof CALLS;
/**
 * Every scope that allows `call`: its own name, `<resource>.*`, and the groups of its level with
 * `.read` (for reads) and `.bounded` (unless sensitive). `all.Device[.read]` only counts when
 * `deviceGroupApplies` (a device token on its own device, or an application token).
 */
export declare function scopesAllowing(call: CallName, deviceGroupApplies: boolean): Set<string>;
export declare function scopeAllows(scopes: readonly string[], call: CallName, deviceGroupApplies: boolean): boolean;
/** Scope groups that name no single call. */
export declare const SCOPE_GROUPS: readonly ["all.Application", "all.Application.read", "all.Application.bounded", "all.Organization", "all.Organization.read", "all.Organization.bounded", "only.Organization", "only.Organization.read", "only.Organization.bounded", "all.User", "all.User.read", "all.User.bounded", "only.User", "only.User.read", "all.Device", "all.Device.read"];
/** The scopes an application API token may hold (no user or organization groups). */
export declare const APPLICATION_SCOPE_GROUPS: string[];
/** Per-call scopes look like `devices.post` or `devices.*`. Unknown resources are still accepted. */
export declare const CALL_SCOPE_PATTERN: RegExp;
/** Scopes a device may ask for in `/auth/device` `requestedScopes` (from the official schema). */
export declare const DEVICE_REQUESTABLE_SCOPES: readonly ["all.Device", "all.Device.read", "data.export", "data.timeSeriesQuery", "data.lastValueQuery", "device.commandStream", "device.get", "device.getCompositeState", "device.getState", "device.stateStream", "device.getLogEntries", "device.getCommand", "device.debug", "device.sendState", "device.sendCommand", "device.setConnectionStatus", "devices.get", "devices.sendCommand"];
/** The scopes a third-party OAuth client may request, with the words the consent page shows. */
export declare const OAUTH_SCOPE_DESCRIPTIONS: Record<string, string>;

import { z } from 'zod';
import { type SimulatorSettings } from './context';
/** Settings a caller may change: programmatic options, or `PATCH /__sim/settings` at run time. */
export declare const SettingsPatch: z.ZodObject<{
    accessTokenTtlSeconds: z.ZodOptional<z.ZodNumber>;
    refreshTokenTtlSeconds: z.ZodOptional<z.ZodNumber>;
    missingScopeStatus: z.ZodOptional<z.ZodUnion<readonly [z.ZodLiteral<401>, z.ZodLiteral<403>]>>;
    stateRateLimit: z.ZodOptional<z.ZodObject<{
        reports: z.ZodNumber;
        windowSeconds: z.ZodNumber;
    }, z.core.$strict>>;
    deviceTokensFollowKeyStatus: z.ZodOptional<z.ZodBoolean>;
    pendingOauthTokenTtlSeconds: z.ZodOptional<z.ZodNumber>;
    roleRequirements: z.ZodOptional<z.ZodObject<{
        read: z.ZodOptional<z.ZodEnum<{
            collaborate: "collaborate";
            admin: "admin";
            edit: "edit";
            view: "view";
            none: "none";
        }>>;
        deviceWrite: z.ZodOptional<z.ZodEnum<{
            collaborate: "collaborate";
            admin: "admin";
            edit: "edit";
            view: "view";
            none: "none";
        }>>;
        keyWrite: z.ZodOptional<z.ZodEnum<{
            collaborate: "collaborate";
            admin: "admin";
            edit: "edit";
            view: "view";
            none: "none";
        }>>;
        tokenWrite: z.ZodOptional<z.ZodEnum<{
            collaborate: "collaborate";
            admin: "admin";
            edit: "edit";
            view: "view";
            none: "none";
        }>>;
    }, z.core.$strict>>;
    connectableDeviceClasses: z.ZodOptional<z.ZodArray<z.ZodEnum<{
        standalone: "standalone";
        gateway: "gateway";
        peripheral: "peripheral";
        floating: "floating";
        edgeCompute: "edgeCompute";
        system: "system";
        embedded: "embedded";
    }>>>;
    apiTokenDefaultLifetimeSeconds: z.ZodOptional<z.ZodNullable<z.ZodNumber>>;
    demoLogins: z.ZodOptional<z.ZodBoolean>;
}, z.core.$strict>;
export type SettingsPatch = z.infer<typeof SettingsPatch>;
export declare function applySettings(base: SimulatorSettings, patch: SettingsPatch): SimulatorSettings;
export declare function resolveSettings(patch?: SettingsPatch): SimulatorSettings;

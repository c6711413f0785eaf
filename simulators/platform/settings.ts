import { z } from 'zod';
import { DEVICE_CLASSES, ROLES } from './model/types';
import { DEFAULT_SETTINGS, type SimulatorSettings } from './context';

const role = z.enum(ROLES);

/** Settings a caller may change: programmatic options, or `PATCH /__sim/settings` at run time. */
export const SettingsPatch = z.strictObject({
  accessTokenTtlSeconds: z.number().int().min(1).optional(),
  refreshTokenTtlSeconds: z.number().int().min(1).optional(),
  missingScopeStatus: z.union([z.literal(401), z.literal(403)]).optional(),
  stateRateLimit: z.strictObject({ reports: z.number().int().min(1), windowSeconds: z.number().positive() }).optional(),
  deviceTokensFollowKeyStatus: z.boolean().optional(),
  pendingOauthTokenTtlSeconds: z.number().int().min(1).optional(),
  roleRequirements: z
    .strictObject({
      read: role.optional(),
      deviceWrite: role.optional(),
      keyWrite: role.optional(),
      tokenWrite: role.optional(),
    })
    .optional(),
  connectableDeviceClasses: z.array(z.enum(DEVICE_CLASSES)).optional(),
  apiTokenDefaultLifetimeSeconds: z.number().int().min(1).nullable().optional(),
  demoLogins: z.boolean().optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export function applySettings(base: SimulatorSettings, patch: SettingsPatch): SimulatorSettings {
  const { roleRequirements, ...rest } = patch;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  const roles = Object.fromEntries(Object.entries(roleRequirements ?? {}).filter(([, value]) => value !== undefined));
  return {
    ...base,
    ...defined,
    roleRequirements: { ...base.roleRequirements, ...roles },
  } as SimulatorSettings;
}

export function resolveSettings(patch: SettingsPatch = {}): SimulatorSettings {
  return applySettings(structuredClone(DEFAULT_SETTINGS), SettingsPatch.parse(patch));
}

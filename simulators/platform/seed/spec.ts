import { z } from 'zod';
import { ATTRIBUTE_TYPES, DEVICE_CLASSES, ROLES } from '../model/types';

/**
 * What a seed describes (the demo seed, or a JSON file given with `--seed FILE`). Objects refer to
 * each other by `key`; ids are derived from `name` and the keys, so they are stable across resets
 * and restarts.
 */
const key = z.string().min(1).max(100);
const tag = z.strictObject({ key: z.string().regex(/^[0-9a-zA-Z_-]{1,255}$/), value: z.string().min(1).max(255) });
const role = z.enum(ROLES);

export const SeedSpec = z.strictObject({
  name: z.string().min(1).max(100),
  users: z.array(
    z.strictObject({
      key,
      email: z.string().email(),
      password: z.string().min(1),
      firstName: z.string(),
      lastName: z.string(),
      demoLabel: z.string().optional(),
    }),
  ),
  orgs: z.array(
    z.strictObject({
      key,
      name: z.string().min(1),
      description: z.string().default(''),
      members: z.array(z.strictObject({ user: key, role })),
    }),
  ),
  applications: z.array(
    z.strictObject({ key, org: key, name: z.string().min(1), description: z.string().default('') }),
  ),
  devices: z.array(
    z.strictObject({
      key,
      application: key,
      name: z.string().min(1),
      description: z.string().default(''),
      deviceClass: z.enum(DEVICE_CLASSES),
      tags: z.array(tag).default([]),
      attributes: z.array(z.strictObject({ name: z.string(), dataType: z.enum(ATTRIBUTE_TYPES) })).default([]),
    }),
  ),
  accessKeys: z
    .array(
      z.strictObject({
        key,
        application: key,
        name: z.string().optional(),
        description: z.string().optional(),
        status: z.enum(['active', 'inactive']).default('active'),
        devices: z.array(key).default([]),
        deviceTags: z.array(tag).default([]),
        deleted: z.boolean().default(false),
        createdBy: key.optional(),
      }),
    )
    .default([]),
  apiTokens: z
    .array(
      z.strictObject({
        key,
        application: key.optional(),
        user: key.optional(),
        name: z.string().min(1),
        description: z.string().default(''),
        scope: z.array(z.string()).min(1),
        status: z.enum(['active', 'inactive']).default('active'),
        /** Days from seeding; negative for a token that has already expired; absent = never. */
        expiresInDays: z.number().optional(),
        createdDaysAgo: z.number().nonnegative().default(0),
        defaultRole: role.optional(),
        orgRoles: z.array(z.strictObject({ org: key, role })).default([]),
        createdBy: key.optional(),
      }),
    )
    .default([]),
  oauthClients: z
    .array(
      z.strictObject({
        clientId: z.string().min(1),
        clientName: z.string().min(1),
        redirectUris: z.array(z.string().url()).min(1),
        grantTypes: z.array(z.string()).optional(),
      }),
    )
    .default([]),
  /** Which objects `/__sim/seed` reports under its fixed names. */
  report: z.strictObject({
    org: key,
    application: key,
    apiToken: key,
    technician: key,
    support: key,
    admin: key.optional(),
    oauthClientId: z.string().optional(),
    expiredApiToken: key.optional(),
    inactiveAccessKey: key.optional(),
  }),
});
export type SeedSpec = z.output<typeof SeedSpec>;
export type SeedSpecInput = z.input<typeof SeedSpec>;

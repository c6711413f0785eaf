import { z } from 'zod';
export declare const DeviceCredentials: z.ZodObject<{
    deviceId: z.ZodString;
    key: z.ZodOptional<z.ZodString>;
    secret: z.ZodOptional<z.ZodString>;
    tokenTTL: z.ZodOptional<z.ZodNumber>;
    requestedScopes: z.ZodOptional<z.ZodArray<z.ZodEnum<{
        "devices.get": "devices.get";
        "device.get": "device.get";
        "device.sendState": "device.sendState";
        "device.getCompositeState": "device.getCompositeState";
        "device.getLogEntries": "device.getLogEntries";
        "all.Device": "all.Device";
        "all.Device.read": "all.Device.read";
        "data.export": "data.export";
        "data.timeSeriesQuery": "data.timeSeriesQuery";
        "data.lastValueQuery": "data.lastValueQuery";
        "device.commandStream": "device.commandStream";
        "device.getState": "device.getState";
        "device.stateStream": "device.stateStream";
        "device.getCommand": "device.getCommand";
        "device.debug": "device.debug";
        "device.sendCommand": "device.sendCommand";
        "device.setConnectionStatus": "device.setConnectionStatus";
        "devices.sendCommand": "devices.sendCommand";
    }>>>;
}, z.core.$strict>;
export declare const DevicePost: z.ZodObject<{
    name: z.ZodString;
    description: z.ZodOptional<z.ZodString>;
    tags: z.ZodOptional<z.ZodArray<z.ZodObject<{
        key: z.ZodString;
        value: z.ZodString;
    }, z.core.$strict>>>;
    attributes: z.ZodOptional<z.ZodArray<z.ZodObject<{
        name: z.ZodString;
        dataType: z.ZodEnum<{
            string: "string";
            number: "number";
            boolean: "boolean";
            gps: "gps";
            blob: "blob";
        }>;
        description: z.ZodOptional<z.ZodString>;
        attributeTags: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodString>>;
    }, z.core.$strict>>>;
    deviceClass: z.ZodOptional<z.ZodEnum<{
        standalone: "standalone";
        gateway: "gateway";
        peripheral: "peripheral";
        floating: "floating";
        edgeCompute: "edgeCompute";
        system: "system";
        embedded: "embedded";
    }>>;
}, z.core.$strict>;
export declare const DevicePatch: z.ZodObject<{
    name: z.ZodOptional<z.ZodString>;
    description: z.ZodOptional<z.ZodString>;
    tags: z.ZodOptional<z.ZodArray<z.ZodObject<{
        key: z.ZodString;
        value: z.ZodString;
    }, z.core.$strict>>>;
    attributes: z.ZodOptional<z.ZodArray<z.ZodObject<{
        name: z.ZodString;
        dataType: z.ZodEnum<{
            string: "string";
            number: "number";
            boolean: "boolean";
            gps: "gps";
            blob: "blob";
        }>;
        description: z.ZodOptional<z.ZodString>;
        attributeTags: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodString>>;
    }, z.core.$strict>>>;
    deviceClass: z.ZodOptional<z.ZodEnum<{
        standalone: "standalone";
        gateway: "gateway";
        peripheral: "peripheral";
        floating: "floating";
        edgeCompute: "edgeCompute";
        system: "system";
        embedded: "embedded";
    }>>;
}, z.core.$strict>;
export declare const DeviceState: z.ZodObject<{
    data: z.ZodRecord<z.ZodString, z.ZodUnion<readonly [z.ZodNumber, z.ZodString, z.ZodBoolean, z.ZodNull]>>;
    time: z.ZodOptional<z.ZodUnion<readonly [z.ZodISODateTime, z.ZodNumber, z.ZodObject<{
        $date: z.ZodISODateTime;
    }, z.core.$strict>]>>;
}, z.core.$strict>;
export declare const DeviceStates: z.ZodUnion<readonly [z.ZodObject<{
    data: z.ZodRecord<z.ZodString, z.ZodUnion<readonly [z.ZodNumber, z.ZodString, z.ZodBoolean, z.ZodNull]>>;
    time: z.ZodOptional<z.ZodUnion<readonly [z.ZodISODateTime, z.ZodNumber, z.ZodObject<{
        $date: z.ZodISODateTime;
    }, z.core.$strict>]>>;
}, z.core.$strict>, z.ZodArray<z.ZodObject<{
    data: z.ZodRecord<z.ZodString, z.ZodUnion<readonly [z.ZodNumber, z.ZodString, z.ZodBoolean, z.ZodNull]>>;
    time: z.ZodOptional<z.ZodUnion<readonly [z.ZodISODateTime, z.ZodNumber, z.ZodObject<{
        $date: z.ZodISODateTime;
    }, z.core.$strict>]>>;
}, z.core.$strict>>]>;
export declare const ApplicationKeyPost: z.ZodObject<{
    name: z.ZodOptional<z.ZodString>;
    description: z.ZodOptional<z.ZodString>;
    deviceIds: z.ZodOptional<z.ZodArray<z.ZodString>>;
    deviceTags: z.ZodOptional<z.ZodArray<z.ZodObject<{
        key: z.ZodString;
        value: z.ZodOptional<z.ZodString>;
    }, z.core.$strict>>>;
    filterType: z.ZodOptional<z.ZodEnum<{
        all: "all";
        none: "none";
        whitelist: "whitelist";
        blacklist: "blacklist";
    }>>;
    pubTopics: z.ZodOptional<z.ZodArray<z.ZodString>>;
    subTopics: z.ZodOptional<z.ZodArray<z.ZodString>>;
    addressFilterType: z.ZodOptional<z.ZodEnum<{
        all: "all";
        whitelist: "whitelist";
        blacklist: "blacklist";
    }>>;
    addresses: z.ZodOptional<z.ZodArray<z.ZodString>>;
}, z.core.$strict>;
export declare const ApplicationKeyPatch: z.ZodObject<{
    status: z.ZodOptional<z.ZodEnum<{
        active: "active";
        inactive: "inactive";
    }>>;
    name: z.ZodOptional<z.ZodString>;
    description: z.ZodOptional<z.ZodString>;
}, z.core.$strict>;
export declare const ApiTokenPost: z.ZodObject<{
    name: z.ZodString;
    description: z.ZodOptional<z.ZodString>;
    expirationDate: z.ZodOptional<z.ZodISODateTime>;
    scope: z.ZodOptional<z.ZodArray<z.ZodString>>;
    status: z.ZodOptional<z.ZodEnum<{
        active: "active";
        inactive: "inactive";
    }>>;
}, z.core.$strict>;
export declare const UserApiTokenPost: z.ZodObject<{
    name: z.ZodString;
    description: z.ZodOptional<z.ZodString>;
    expirationDate: z.ZodOptional<z.ZodISODateTime>;
    scope: z.ZodOptional<z.ZodArray<z.ZodString>>;
    status: z.ZodOptional<z.ZodEnum<{
        active: "active";
        inactive: "inactive";
    }>>;
    defaultRole: z.ZodOptional<z.ZodEnum<{
        collaborate: "collaborate";
        admin: "admin";
        edit: "edit";
        view: "view";
        none: "none";
    }>>;
    orgRoles: z.ZodOptional<z.ZodArray<z.ZodObject<{
        orgId: z.ZodString;
        role: z.ZodEnum<{
            collaborate: "collaborate";
            admin: "admin";
            edit: "edit";
            view: "view";
            none: "none";
        }>;
    }, z.core.$strict>>>;
}, z.core.$strict>;
export declare const ApiTokenPatch: z.ZodObject<{
    name: z.ZodOptional<z.ZodString>;
    description: z.ZodOptional<z.ZodString>;
    status: z.ZodOptional<z.ZodEnum<{
        active: "active";
        inactive: "inactive";
    }>>;
}, z.core.$strict>;
export declare const OauthTokenPatch: z.ZodObject<{
    name: z.ZodOptional<z.ZodString>;
    description: z.ZodOptional<z.ZodString>;
    status: z.ZodOptional<z.ZodEnum<{
        active: "active";
        inactive: "inactive";
    }>>;
    defaultRole: z.ZodOptional<z.ZodEnum<{
        collaborate: "collaborate";
        admin: "admin";
        edit: "edit";
        view: "view";
        none: "none";
    }>>;
    orgRoles: z.ZodOptional<z.ZodArray<z.ZodObject<{
        orgId: z.ZodString;
        role: z.ZodEnum<{
            collaborate: "collaborate";
            admin: "admin";
            edit: "edit";
            view: "view";
            none: "none";
        }>;
    }, z.core.$strict>>>;
}, z.core.$strict>;
/** Validates a body; failures become 400 `Validation` with one `validationErrors` entry per problem. */
export declare function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T>;

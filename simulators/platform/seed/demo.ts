import type { SeedSpecInput } from './spec';

const SENSOR_ATTRIBUTES = [
  { name: 'temperature', dataType: 'number' },
  { name: 'humidity', dataType: 'number' },
  { name: 'battery', dataType: 'number' },
  { name: 'firmware', dataType: 'string' },
  { name: 'doorOpen', dataType: 'boolean' },
  { name: 'nonce', dataType: 'string' },
] as const;

/** Redirect URIs of the station's public client: loopback, any port (RFC 8252 §7.3). */
export const STATION_REDIRECT_URIS = [
  'http://127.0.0.1/callback',
  'http://[::1]/callback',
  'http://127.0.0.1/oauth/callback',
  'http://[::1]/oauth/callback',
];

export const STATION_CLIENT_ID = 'keyline-station';

/**
 * The demo factory: Brightwater Instruments builds cold-chain probes on line 3. A technician who
 * provisions them (collaborate), a read-only support engineer (view), an engineer (edit) and an
 * administrator; devices of every class; keys restricted by device and by tag, an inactive key and
 * a deleted one; an all-permissions application token, a read-only one and an expired one.
 */
export const DEMO_SEED: SeedSpecInput = {
  name: 'keyline-demo',
  users: [
    {
      key: 'admin',
      email: 'dana.okafor@brightwater.example',
      password: 'demo-admin-password',
      firstName: 'Dana',
      lastName: 'Okafor',
      demoLabel: 'administrator',
    },
    {
      key: 'engineer',
      email: 'priya.nair@brightwater.example',
      password: 'demo-engineer-password',
      firstName: 'Priya',
      lastName: 'Nair',
    },
    {
      key: 'technician',
      email: 'sam.rivera@brightwater.example',
      password: 'demo-technician-password',
      firstName: 'Sam',
      lastName: 'Rivera',
      demoLabel: 'technician',
    },
    {
      key: 'support',
      email: 'lee.chen@brightwater.example',
      password: 'demo-support-password',
      firstName: 'Lee',
      lastName: 'Chen',
      demoLabel: 'support engineer',
    },
  ],
  orgs: [
    {
      key: 'factory',
      name: 'Brightwater Instruments',
      description: 'Cold-chain sensor manufacturing, plant 2.',
      members: [
        { user: 'admin', role: 'admin' },
        { user: 'engineer', role: 'edit' },
        { user: 'technician', role: 'collaborate' },
        { user: 'support', role: 'view' },
      ],
    },
    {
      key: 'field',
      name: 'Brightwater Field Service',
      description: 'Installation and returns.',
      members: [
        { user: 'admin', role: 'admin' },
        { user: 'technician', role: 'view' },
        { user: 'support', role: 'view' },
      ],
    },
  ],
  applications: [
    {
      key: 'coldChain',
      org: 'factory',
      name: 'Cold Chain Sensors',
      description: 'Temperature and humidity probes for refrigerated transport, provisioned on line 3.',
    },
    { key: 'returns', org: 'field', name: 'Field Returns', description: 'Probes sent back for diagnosis.' },
  ],
  devices: [
    {
      key: 'probe1001',
      application: 'coldChain',
      name: 'CCS-1001 reefer probe',
      deviceClass: 'standalone',
      tags: [
        { key: 'hwid', value: 'CCS1001-A4F2' },
        { key: 'line', value: '3' },
        { key: 'model', value: 'CCS-100' },
      ],
      attributes: [...SENSOR_ATTRIBUTES],
    },
    {
      key: 'probe1002',
      application: 'coldChain',
      name: 'CCS-1002 reefer probe',
      deviceClass: 'standalone',
      tags: [
        { key: 'hwid', value: 'CCS1002-9B17' },
        { key: 'line', value: '3' },
        { key: 'model', value: 'CCS-100' },
      ],
      attributes: [...SENSOR_ATTRIBUTES],
    },
    {
      key: 'gateway',
      application: 'coldChain',
      name: 'Line 3 bench gateway',
      deviceClass: 'gateway',
      tags: [
        { key: 'hwid', value: 'GW-L3-0007' },
        { key: 'line', value: '3' },
      ],
      attributes: [
        { name: 'firmware', dataType: 'string' },
        { name: 'nonce', dataType: 'string' },
      ],
    },
    {
      key: 'doorContact',
      application: 'coldChain',
      name: 'Trailer door contact',
      description: 'Reports through the line 3 gateway.',
      deviceClass: 'peripheral',
      tags: [{ key: 'hwid', value: 'DC-0031' }],
      attributes: [{ name: 'doorOpen', dataType: 'boolean' }],
    },
    {
      key: 'shipmentEta',
      application: 'coldChain',
      name: 'Shipment ETA feed',
      description: 'Filled by a workflow from the carrier API.',
      deviceClass: 'floating',
      attributes: [{ name: 'etaMinutes', dataType: 'number' }],
    },
    {
      key: 'dockEdge',
      application: 'coldChain',
      name: 'Dock 4 edge controller',
      deviceClass: 'edgeCompute',
      tags: [{ key: 'hwid', value: 'EDGE-D4-02' }],
      attributes: [
        { name: 'firmware', dataType: 'string' },
        { name: 'nonce', dataType: 'string' },
      ],
    },
    {
      key: 'fleetHealth',
      application: 'coldChain',
      name: 'Fleet health summary',
      deviceClass: 'system',
      attributes: [{ name: 'probesOnline', dataType: 'number' }],
    },
    {
      key: 'embeddedProbe',
      application: 'coldChain',
      name: 'CCS-E200 embedded probe',
      deviceClass: 'embedded',
      tags: [{ key: 'hwid', value: 'CCSE200-0C11' }],
      attributes: [...SENSOR_ATTRIBUTES],
    },
    {
      key: 'returned',
      application: 'returns',
      name: 'RMA-0042 returned probe',
      deviceClass: 'standalone',
      tags: [{ key: 'hwid', value: 'CCS0870-11D0' }],
      attributes: [...SENSOR_ATTRIBUTES],
    },
  ],
  accessKeys: [
    {
      key: 'probe1001Key',
      application: 'coldChain',
      name: 'keyline run 2024-bench-0001 (CCS-1001)',
      devices: ['probe1001'],
      createdBy: 'technician',
    },
    {
      key: 'line3Key',
      application: 'coldChain',
      name: 'Line 3 devices (by tag)',
      deviceTags: [{ key: 'line', value: '3' }],
      createdBy: 'engineer',
    },
    {
      key: 'workshopKey',
      application: 'coldChain',
      name: 'Workshop key (every device)',
      description: 'No device restriction: works for every device of the application.',
      createdBy: 'engineer',
    },
    {
      key: 'retiredKey',
      application: 'coldChain',
      name: 'Retired bench key (inactive)',
      status: 'inactive',
      devices: ['probe1002'],
      createdBy: 'technician',
    },
    {
      key: 'deletedKey',
      application: 'coldChain',
      name: 'Leaked key (deleted)',
      devices: ['probe1002'],
      deleted: true,
      createdBy: 'engineer',
    },
  ],
  apiTokens: [
    {
      key: 'sandboxAll',
      application: 'coldChain',
      name: 'Sandbox all-permissions token',
      description: 'Used by the sandbox and tests.',
      scope: ['all.Application'],
      createdBy: 'admin',
    },
    {
      key: 'reportingRead',
      application: 'coldChain',
      name: 'Reporting dashboard (read only)',
      scope: ['all.Application.read'],
      createdDaysAgo: 40,
      expiresInDays: 325,
      createdBy: 'engineer',
    },
    {
      key: 'expiredRead',
      application: 'coldChain',
      name: 'Line 2 dashboard (expired)',
      scope: ['all.Application.read'],
      createdDaysAgo: 395,
      expiresInDays: -30,
      createdBy: 'engineer',
    },
    {
      key: 'adminAutomation',
      user: 'admin',
      name: "Dana's automation token",
      description: 'All permissions of its user, including token management.',
      scope: ['all.User'],
      createdDaysAgo: 60,
      createdBy: 'admin',
    },
    {
      key: 'technicianCli',
      user: 'technician',
      name: "Sam's bench CLI",
      scope: ['all.User'],
      defaultRole: 'collaborate',
      createdDaysAgo: 12,
      createdBy: 'technician',
    },
  ],
  oauthClients: [
    {
      clientId: STATION_CLIENT_ID,
      clientName: 'Keyline provisioning station',
      redirectUris: STATION_REDIRECT_URIS,
    },
  ],
  report: {
    org: 'factory',
    application: 'coldChain',
    apiToken: 'sandboxAll',
    technician: 'technician',
    support: 'support',
    admin: 'admin',
    oauthClientId: STATION_CLIENT_ID,
    expiredApiToken: 'expiredRead',
    inactiveAccessKey: 'retiredKey',
  },
};

import { describe, expect, it } from 'vitest';
import {
  describeScope,
  explainScopes,
  isThirdPartyScope,
  parseScopeClaim,
  SCOPE_GROUPS,
  scopesAllow,
  scopesAllowingCall,
  THIRD_PARTY_SCOPES,
} from './scopes';

/** Every named group in platform-api.md, "Scopes". */
const NAMED_IN_PLATFORM_API = [
  'all.Application',
  'all.Application.read',
  'all.Application.bounded',
  'all.Organization',
  'all.Organization.read',
  'all.Organization.bounded',
  'all.User',
  'all.User.read',
  'all.User.bounded',
  'only.Organization',
  'only.Organization.read',
  'only.Organization.bounded',
  'only.User',
  'only.User.read',
  'all.Device',
  'all.Device.read',
];

describe('the scope catalogue', () => {
  it('describes every group named in the platform API, in plain words', () => {
    expect(Object.keys(SCOPE_GROUPS).sort()).toEqual([...NAMED_IN_PLATFORM_API].sort());
    for (const scope of NAMED_IN_PLATFORM_API) {
      const description = describeScope(scope);
      expect(description.kind).toBe('group');
      expect(description.summary.length).toBeGreaterThan(20);
      expect(description.can.length).toBeGreaterThan(0);
      expect(description.cannot.length).toBeGreaterThan(0);
    }
  });

  it('says which scopes a third-party OAuth client may request', () => {
    expect([...THIRD_PARTY_SCOPES].sort()).toEqual(
      [
        'all.Application.read',
        'all.Application.bounded',
        'only.Organization.read',
        'only.Organization.bounded',
        'all.Organization.read',
        'all.Organization.bounded',
        'only.User.read',
      ].sort(),
    );
    expect(isThirdPartyScope('all.Application.bounded')).toBe(true);
    expect(isThirdPartyScope('all.Application')).toBe(false);
    expect(describeScope('all.User').thirdParty).toBe(false);
    expect(describeScope('only.User.read').thirdParty).toBe(true);
  });

  it('explains .bounded as read and write without the sensitive actions, creating devices and keys included', () => {
    const { summary, can, cannot } = describeScope('all.Application.bounded');
    expect(summary).toMatch(/creating devices and access keys/);
    expect(can).toContain('Create devices and access keys');
    expect(cannot).toEqual(
      expect.arrayContaining([
        'Create, change or delete API tokens',
        'Manage organization members and invitations',
        'Transfer resources to another owner',
        "Change the user's own password or two-factor settings",
      ]),
    );
  });

  it('describes per-call scopes, wildcards and unknown scopes', () => {
    expect(describeScope('applicationKeys.post')).toMatchObject({ kind: 'call', title: 'Create access keys' });
    expect(describeScope('device.sendState').title).toBe('Send state for a device');
    expect(describeScope('device.getCompositeState').title).toBe('Read the composite state of a device');
    expect(describeScope('applicationKey.delete').title).toBe('Delete an access key');
    expect(describeScope('devices.*')).toMatchObject({ kind: 'resource', title: 'Every action on devices' });
    expect(describeScope('applicationApiTokens.*').summary).toMatch(/creating API tokens/);
    expect(describeScope('widgets.get').title).toMatch(/no description/);
    expect(describeScope('all.Device.bounded').kind).toBe('unknown');
    expect(describeScope('<script>').kind).toBe('unknown');
  });
});

describe('scopesAllowingCall', () => {
  it("lists a call's scopes the way the platform documents them", () => {
    expect(scopesAllowingCall('device.get').sort()).toEqual(
      [
        'all.Application',
        'all.Application.read',
        'all.Application.bounded',
        'all.Device',
        'all.Device.read',
        'all.Organization',
        'all.Organization.read',
        'all.Organization.bounded',
        'all.User',
        'all.User.read',
        'all.User.bounded',
        'device.*',
        'device.get',
      ].sort(),
    );
    expect(scopesAllowingCall('device.delete').sort()).toEqual(
      [
        'all.Application',
        'all.Application.bounded',
        'all.Organization',
        'all.Organization.bounded',
        'all.User',
        'all.User.bounded',
        'device.*',
        'device.delete',
      ].sort(),
    );
  });

  it('gives nothing for text that is not a call', () => {
    expect(scopesAllowingCall('all.Device')).toEqual([]);
    expect(scopesAllowingCall('devices')).toEqual([]);
    expect(scopesAllowingCall('devices.*')).toEqual([]);
    expect(scopesAllowingCall('')).toEqual([]);
  });
});

describe('scopesAllow', () => {
  const allows = (granted: string[], call: string) => scopesAllow(granted, call);

  it('lets a device token report state for itself and nothing that manages devices or keys', () => {
    expect(allows(['all.Device'], 'device.sendState')).toBe(true);
    expect(allows(['all.Device'], 'device.getCompositeState')).toBe(true);
    expect(allows(['all.Device'], 'device.patch')).toBe(false);
    expect(allows(['all.Device'], 'devices.post')).toBe(false);
    expect(allows(['all.Device'], 'applicationKeys.post')).toBe(false);
    expect(allows(['all.Device.read'], 'device.get')).toBe(true);
    expect(allows(['all.Device.read'], 'device.sendState')).toBe(false);
  });

  it('lets .bounded create devices and access keys but not manage tokens, members, transfers or credentials', () => {
    for (const bounded of ['all.Application.bounded', 'all.Organization.bounded', 'all.User.bounded']) {
      expect(allows([bounded], 'devices.post')).toBe(true);
      expect(allows([bounded], 'applicationKeys.post')).toBe(true);
      expect(allows([bounded], 'applicationKey.patch')).toBe(true);
      expect(allows([bounded], 'applicationKey.delete')).toBe(true);
      expect(allows([bounded], 'device.sendState')).toBe(true);
      expect(allows([bounded], 'applicationApiTokens.get')).toBe(true);
      expect(allows([bounded], 'applicationApiTokens.post')).toBe(false);
      expect(allows([bounded], 'applicationApiToken.patch')).toBe(false);
      expect(allows([bounded], 'applicationApiToken.delete')).toBe(false);
    }
    expect(allows(['all.User.bounded'], 'userApiTokens.get')).toBe(true);
    expect(allows(['all.User.bounded'], 'userApiTokens.post')).toBe(false);
    expect(allows(['all.User.bounded'], 'userOauthToken.delete')).toBe(false);
    expect(allows(['all.Organization.bounded'], 'org.patch')).toBe(true);
    expect(allows(['all.Organization.bounded'], 'org.inviteMember')).toBe(false);
    expect(allows(['all.Organization.bounded'], 'orgInvites.post')).toBe(false);
    expect(allows(['all.Organization.bounded'], 'org.transferResources')).toBe(false);
    expect(allows(['all.User.bounded'], 'me.changePassword')).toBe(false);
    expect(allows(['all.User.bounded'], 'me.get')).toBe(true);
  });

  it('lets the full groups do the sensitive actions within their reach', () => {
    expect(allows(['all.Application'], 'applicationApiTokens.post')).toBe(true);
    expect(allows(['all.Organization'], 'org.inviteMember')).toBe(true);
    expect(allows(['all.User'], 'me.changePassword')).toBe(true);
    expect(allows(['only.User'], 'userApiTokens.post')).toBe(true);
  });

  it('keeps .read to reading', () => {
    expect(allows(['all.Application.read'], 'devices.get')).toBe(true);
    expect(allows(['all.Application.read'], 'device.getLogEntries')).toBe(true);
    expect(allows(['all.Application.read'], 'applicationKeys.get')).toBe(true);
    expect(allows(['all.Application.read'], 'device.export')).toBe(true);
    expect(allows(['all.Application.read'], 'devices.post')).toBe(false);
    expect(allows(['all.Application.read'], 'device.sendState')).toBe(false);
    expect(allows(['all.User.read'], 'userOauthTokens.get')).toBe(true);
    expect(allows(['all.User.read'], 'userOauthToken.patch')).toBe(false);
  });

  it('keeps each group to its reach', () => {
    expect(allows(['all.Application'], 'orgs.get')).toBe(false);
    expect(allows(['all.Application'], 'applications.get')).toBe(false);
    expect(allows(['all.Application'], 'me.get')).toBe(false);
    expect(allows(['all.Organization'], 'applications.get')).toBe(true);
    expect(allows(['all.Organization'], 'devices.post')).toBe(true);
    expect(allows(['all.Organization'], 'me.get')).toBe(false);
    expect(allows(['all.User.read'], 'devices.get')).toBe(true);
    expect(allows(['only.Organization.read'], 'orgs.get')).toBe(true);
    expect(allows(['only.Organization.read'], 'applications.get')).toBe(true);
    expect(allows(['only.Organization.read'], 'devices.get')).toBe(false);
    expect(allows(['only.Organization.bounded'], 'org.patch')).toBe(true);
    expect(allows(['only.Organization.bounded'], 'applications.post')).toBe(false);
    expect(allows(['only.Organization.bounded'], 'org.removeMember')).toBe(false);
    expect(allows(['only.Organization'], 'org.removeMember')).toBe(true);
    expect(allows(['only.User.read'], 'me.get')).toBe(true);
    expect(allows(['only.User.read'], 'userApiTokens.get')).toBe(true);
    expect(allows(['only.User.read'], 'userApiTokens.post')).toBe(false);
    expect(allows(['only.User.read'], 'orgs.get')).toBe(false);
    expect(allows(['only.User.read'], 'device.get')).toBe(false);
  });

  it('matches per-call scopes and resource wildcards', () => {
    expect(allows(['device.sendState'], 'device.sendState')).toBe(true);
    expect(allows(['device.sendState'], 'device.get')).toBe(false);
    expect(allows(['device.*'], 'device.patch')).toBe(true);
    expect(allows(['device.*'], 'devices.get')).toBe(false);
    expect(allows(['devices.get', 'applicationKeys.*'], 'applicationKeys.post')).toBe(true);
  });

  it('judges calls on unknown resources by exact match and wildcard only', () => {
    expect(allows(['all.User'], 'widgets.get')).toBe(false);
    expect(allows(['widgets.*'], 'widgets.get')).toBe(true);
    expect(allows(['widgets.get'], 'widgets.get')).toBe(true);
  });

  it('allows nothing with no scopes, and never treats a group name as a call', () => {
    expect(allows([], 'me.get')).toBe(false);
    expect(allows(['all.Device'], 'all.Device')).toBe(false);
  });
});

describe('explainScopes', () => {
  it("says a device token reports its own device's state and cannot manage anything", () => {
    const explained = explainScopes(['all.Device']);
    expect(explained.can).toContain('Report device state, for its own device only');
    expect(explained.can).toContain("Read a device's record, state and connection log, for its own device only");
    expect(explained.cannot).toEqual(
      expect.arrayContaining([
        'List the devices of an application',
        'Create devices',
        'Create access keys (device credentials)',
        "Create, change or delete the application's API tokens",
      ]),
    );
    expect(explained.broaderThan).toBeUndefined();
  });

  it('flags full groups as broader than a provisioning station needs, with the bounded alternative', () => {
    const application = explainScopes(['all.Application']);
    expect(application.broaderThan).toMatchObject({
      scopes: ['all.Application'],
      suggested: ['all.Application.bounded'],
      categories: ['apiTokens'],
    });
    expect(application.broaderThan?.reason).toMatch(/all\.Application\.bounded would do/);

    const organization = explainScopes(['all.Organization', 'only.User.read']);
    expect(organization.broaderThan?.scopes).toEqual(['all.Organization']);
    expect(organization.broaderThan?.suggested).toEqual(['all.Organization.bounded', 'only.User.read']);
    expect(organization.broaderThan?.categories).toEqual(['apiTokens', 'members', 'transfer']);

    expect(explainScopes(['all.User']).broaderThan?.categories).toEqual([
      'apiTokens',
      'members',
      'transfer',
      'credentials',
    ]);
    expect(explainScopes(['only.User']).broaderThan?.suggested).toEqual(['only.User.read']);
  });

  it('flags a token that may create tokens (it could create broader ones)', () => {
    const explained = explainScopes(['device.sendState', 'applicationApiTokens.post']);
    expect(explained.broaderThan?.scopes).toEqual(['applicationApiTokens.post']);
    expect(explained.broaderThan?.suggested).toEqual(['device.sendState']);
    expect(explained.broaderThan?.reason).toMatch(/may create broader ones/);
  });

  it('does not flag bounded, read-only or narrow grants', () => {
    for (const grant of [
      ['all.Application.bounded'],
      ['all.Organization.bounded', 'only.User.read'],
      ['all.Application.read'],
      ['devices.post', 'applicationKeys.post'],
      [],
    ]) {
      expect(explainScopes(grant).broaderThan).toBeUndefined();
    }
  });

  it('lists what a bounded grant can and cannot do', () => {
    const explained = explainScopes(['all.Application.bounded']);
    expect(explained.can).toEqual(
      expect.arrayContaining([
        'Create devices',
        'Create access keys (device credentials)',
        'Deactivate, reactivate and delete access keys',
        "List the application's API tokens",
      ]),
    );
    expect(explained.cannot).toEqual(
      expect.arrayContaining([
        "Create, change or delete the application's API tokens",
        'Read organizations and list their applications',
        "Read the user's profile",
      ]),
    );
  });

  it('names the calls when a grant covers only part of a capability', () => {
    const explained = explainScopes(['device.patch']);
    expect(explained.can).toContain('Change and delete devices (only device.patch)');
    expect(explained.cannot).toContain('Change and delete devices (not device.delete)');
  });

  it('describes each granted scope once and lists unknown ones', () => {
    const explained = explainScopes(['all.Device', 'all.Device', 'fancy.Scope.thing']);
    expect(explained.scopes.map((scope) => scope.scope)).toEqual(['all.Device', 'fancy.Scope.thing']);
    expect(explained.unknown).toEqual(['fancy.Scope.thing']);
  });

  it('can do nothing with no scopes', () => {
    const explained = explainScopes([]);
    expect(explained.can).toEqual([]);
    expect(explained.cannot.length).toBeGreaterThan(10);
  });
});

describe('parseScopeClaim', () => {
  it('reads an array claim and an OAuth space-separated string', () => {
    expect(parseScopeClaim(['all.Device'])).toEqual(['all.Device']);
    expect(parseScopeClaim('all.Application.bounded  only.User.read ')).toEqual([
      'all.Application.bounded',
      'only.User.read',
    ]);
  });

  it('drops what is not a scope string and removes duplicates', () => {
    expect(parseScopeClaim(['a.b', 3, null, { x: 1 }, 'a.b', ''])).toEqual(['a.b']);
    expect(parseScopeClaim(['x'.repeat(201)])).toBeUndefined();
    expect(parseScopeClaim(42)).toBeUndefined();
    expect(parseScopeClaim(undefined)).toBeUndefined();
    expect(parseScopeClaim('   ')).toBeUndefined();
    expect(parseScopeClaim([])).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { effectiveRole, lowerRole } from './roles';
import { scopeAllows, scopesAllowing } from './scopes';

describe('scopes', () => {
  it('a call is allowed by its own name, its resource wildcard and the groups of its level', () => {
    const allowed = scopesAllowing('devices.post', false);
    expect([...allowed].sort()).toEqual(
      [
        'devices.post',
        'devices.*',
        'all.User',
        'all.User.bounded',
        'all.Organization',
        'all.Organization.bounded',
        'all.Application',
        'all.Application.bounded',
      ].sort(),
    );
  });

  it('.read groups cover reads only; .bounded excludes token management', () => {
    expect(scopeAllows(['all.Application.read'], 'device.getCompositeState', false)).toBe(true);
    expect(scopeAllows(['all.Application.read'], 'device.sendState', false)).toBe(false);
    expect(scopeAllows(['all.Application.bounded'], 'applicationKeys.post', false)).toBe(true);
    expect(scopeAllows(['all.Application.bounded'], 'applicationApiTokens.post', false)).toBe(false);
    expect(scopeAllows(['all.User.bounded'], 'userApiTokens.post', false)).toBe(false);
    expect(scopeAllows(['all.User.bounded'], 'userApiTokens.get', false)).toBe(true);
    expect(scopeAllows(['only.User.read'], 'me.get', false)).toBe(true);
    expect(scopeAllows(['only.Organization.read'], 'devices.get', false)).toBe(false);
    expect(scopeAllows(['only.Organization.read'], 'applications.get', false)).toBe(true);
  });

  it('all.Device counts only where the device group applies', () => {
    expect(scopeAllows(['all.Device'], 'device.sendState', true)).toBe(true);
    expect(scopeAllows(['all.Device'], 'device.sendState', false)).toBe(false);
    expect(scopeAllows(['all.Device'], 'devices.get', true)).toBe(false);
  });
});

describe('roles', () => {
  it('a token never exceeds its user nor its cap', () => {
    expect(lowerRole('admin', 'view')).toBe('view');
    expect(effectiveRole('collaborate', 'admin', [], 'org')).toBe('collaborate');
    expect(effectiveRole('admin', 'collaborate', [], 'org')).toBe('collaborate');
    expect(effectiveRole('admin', 'collaborate', [{ orgId: 'org', role: 'edit' }], 'org')).toBe('edit');
    expect(effectiveRole('view', 'admin', [{ orgId: 'org', role: 'edit' }], 'org')).toBe('view');
    expect(effectiveRole(undefined, 'admin', [], 'org')).toBe('none');
  });
});

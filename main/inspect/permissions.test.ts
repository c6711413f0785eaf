import { describe, expect, it } from 'vitest';
import { lowerRole, permissionsOf } from './permissions';

describe('what a session may do', () => {
  it("a technician's bounded sign-in manages keys but not tokens, and says why", () => {
    const answer = permissionsOf(
      ['all.Application.bounded', 'only.Organization.read', 'only.User.read'],
      'collaborate',
    );
    expect(answer.can).toEqual({
      readDevices: true,
      readKeys: true,
      manageKeys: true,
      readApiTokens: true,
      manageApiTokens: false,
      readOauthTokens: true,
      manageOauthTokens: false,
    });
    expect(answer.readOnly).toBe(false);
    expect(answer.reasonFor('manageApiTokens')).toMatch(/bounded scopes leave out managing tokens/);
    expect(answer.reasonFor('manageKeys')).toBeNull();
  });

  it('a view role makes the same scopes read-only', () => {
    const answer = permissionsOf(['all.Application.bounded', 'only.User.read'], 'view');
    expect(answer.readOnly).toBe(true);
    expect(answer.can.readKeys).toBe(true);
    expect(answer.reasonFor('manageKeys')).toBe(
      'Your role here is "view"; to deactivate, reactivate or delete access keys the platform asks for "collaborate" or above.',
    );
  });

  it('a read-only token is read-only; an all-permissions one may do everything in its application', () => {
    expect(permissionsOf(['all.Application.read'], null).readOnly).toBe(true);
    const all = permissionsOf(['all.Application'], null);
    expect(all.can).toMatchObject({ manageKeys: true, manageApiTokens: true, readOauthTokens: false });
  });

  it('unknown scopes hide nothing: the platform decides', () => {
    expect(Object.values(permissionsOf(undefined, null).can).every(Boolean)).toBe(true);
  });

  it('takes the lower of two roles; unknown never lowers', () => {
    expect(lowerRole('admin', 'view')).toBe('view');
    expect(lowerRole(null, 'edit')).toBe('edit');
    expect(lowerRole(null, null)).toBeNull();
  });
});

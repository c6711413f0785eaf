import type { Handlers } from '../host/dispatcher';
import type { AuthService } from './auth-service';

type AuthMethod =
  | 'auth.profiles.list'
  | 'auth.profiles.save'
  | 'auth.profiles.remove'
  | 'auth.session.get'
  | 'auth.signIn'
  | 'auth.signIn.cancel'
  | 'auth.signOut'
  | 'auth.account.get'
  | 'auth.selectApplication';

/** The contract methods of sign-in; the dispatcher has already checked every argument. */
export function authHandlers(service: AuthService): Pick<Handlers, AuthMethod> {
  return {
    'auth.profiles.list': () =>
      service.profiles.list().then(({ profiles, activeProfileId }) => ({ profiles, activeProfileId })),
    'auth.profiles.save': (draft) => service.saveProfile(draft),
    'auth.profiles.remove': async ({ id }) => ({ removed: await service.removeProfile(id) }),
    'auth.session.get': () => service.state(),
    'auth.signIn': ({ profileId, method }, context) => service.signIn(profileId, method, context.signal),
    'auth.signIn.cancel': () => ({ cancelled: service.cancelSignIn() }),
    'auth.signOut': (_args, context) => service.signOut(context.signal),
    'auth.account.get': (_args, context) => service.accountSummary(context.signal),
    'auth.selectApplication': ({ applicationId }, context) => service.selectApplication(applicationId, context.signal),
  };
}

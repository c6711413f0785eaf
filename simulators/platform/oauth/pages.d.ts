import { type Role } from '../model/types';
/**
 * The OAuth pages: plain HTML, no script, labels that Playwright (and people) find by name.
 * Login: "Email", "Password", "Sign in", one "Sign in as the demo <label>" button per demo user.
 * Consent: the requested scopes in plain words, "Maximum role", "Role in <org>", "Allow" and "Deny".
 */
export declare function escapeHtml(value: string): string;
export declare function page(title: string, body: string): string;
export interface DemoLogin {
    userId: string;
    label: string;
}
export declare function loginPage(options: {
    action: string;
    clientName: string;
    error?: string;
    email?: string;
    demoLogins: DemoLogin[];
}): string;
export interface ConsentOrg {
    id: string;
    name: string;
    memberRole: Role;
}
export declare function consentPage(options: {
    action: string;
    clientName: string;
    clientId: string;
    userEmail: string;
    scopes: {
        scope: string;
        description: string;
    }[];
    orgs: ConsentOrg[];
    defaultRole: Role;
}): string;
export declare function messagePage(title: string, message: string): string;

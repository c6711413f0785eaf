/** An error answer of the platform API: `{type, message}` with an HTTP status. */
export interface ValidationIssue {
    type: string;
    name: string;
    id: string;
    message: string;
}
export declare class ApiError extends Error {
    readonly status: number;
    readonly type: string;
    readonly validationErrors?: ValidationIssue[] | undefined;
    constructor(status: number, type: string, message: string, validationErrors?: ValidationIssue[] | undefined);
    toBody(): Record<string, unknown>;
}
export declare const unauthorized: (message: string) => ApiError;
export declare const notFound: (message: string) => ApiError;
export declare const validation: (message: string, issues?: ValidationIssue[]) => ApiError;
export declare const tooManyRequests: (message: string) => ApiError;
/** A call the principal may not make: 401 or 403 as the simulator is configured (the docs are silent). */
export declare const permissionDenied: (status: 401 | 403, message: string) => ApiError;
/** The `type` the simulator uses for a status when it has nothing more specific (faults use it). */
export declare function typeForStatus(status: number): string;

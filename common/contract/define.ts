import { z } from 'zod';

/** One contract method: the schema of its single argument and of its result. */
export interface MethodDefinition<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly args: A;
  readonly result: R;
  /** What the method does, for docs and error messages. */
  readonly summary: string;
}

/** One contract event: the schema of its payload. */
export interface EventDefinition<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly summary: string;
}

export function defineMethod<A extends z.ZodType, R extends z.ZodType>(
  definition: MethodDefinition<A, R>,
): MethodDefinition<A, R> {
  return definition;
}

export function defineEvent<P extends z.ZodType>(definition: EventDefinition<P>): EventDefinition<P> {
  return definition;
}

/** Methods that take nothing still take one argument: an empty object, so that unknown keys are refused. */
export const noArgs = z.strictObject({});

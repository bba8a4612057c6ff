import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { errorTitle, type GatewayError } from '../core/index.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 `type` URIs: one per stable code, so clients can dispatch on either. */
export const problemType = (code: string): string => `urn:consent-gateway:problem:${code}`;

/** The problem+json body the gateway answers every refusal with (for the OpenAPI document). */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: problemType('validation_failed') }),
    title: z.string().openapi({ example: 'Request failed validation' }),
    status: z.number().int().openapi({ example: 422 }),
    code: z.string().openapi({
      description: 'Stable machine-readable error code; switch on this, not on the title.',
      example: 'validation_failed',
    }),
    detail: z.string().optional(),
    requestId: z.string().openapi({ description: 'Quote it when reporting a problem.' }),
    errors: z
      .array(
        z.object({
          path: z.string().openapi({ description: 'JSON pointer into the request input' }),
          message: z.string(),
          in: z
            .enum(['query', 'path', 'header', 'cookie'])
            .optional()
            .openapi({ description: 'Where the input was, when not the body' }),
        }),
      )
      .optional()
      .openapi({ description: 'Each validation issue (code `validation_failed`).' }),
    reasons: z
      .array(z.object({ code: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'Why a consent or policy decision went against the caller.' }),
    fields: z
      .array(z.object({ pointer: z.string(), category: z.string() }))
      .optional()
      .openapi({ description: 'Message fields not covered (code `fields_not_covered`).' }),
  })
  .openapi('Problem');

export type Problem = z.infer<typeof ProblemSchema>;

/** Builds the problem+json response for a GatewayError; never includes stack or cause. */
export function problemResponse(c: Context, error: GatewayError): Response {
  const body: Problem = {
    type: problemType(error.code),
    title: errorTitle[error.code],
    status: error.status,
    code: error.code,
    requestId: requestIdOf(c),
    ...(error.detail === undefined ? {} : { detail: error.detail }),
    ...(error.errors === undefined ? {} : { errors: [...error.errors] }),
    ...(error.reasons === undefined ? {} : { reasons: [...error.reasons] }),
    ...(error.fields === undefined ? {} : { fields: [...error.fields] }),
  };
  const headers: Record<string, string> = { 'Content-Type': PROBLEM_CONTENT_TYPE };
  // RFC 6750 §3: a 401 names the scheme the client should use.
  if (error.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="consent-gateway"';
  if (error.retryAfter !== undefined) headers['Retry-After'] = String(error.retryAfter);
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

function requestIdOf(c: Context): string {
  const id: unknown = c.get('requestId');
  return typeof id === 'string' ? id : 'unknown';
}

/** Turns a zod path into an RFC 6901 JSON pointer, so every error names its place the same way. */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path
    .map((segment) => '/' + String(segment).replaceAll('~', '~0').replaceAll('/', '~1'))
    .join('');
}

/** An OpenAPI response entry for a problem+json answer, described by its codes. */
export const problemDoc = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
});

/**
 * The answer every route but `GET /health` may give when the gateway is at its bound of requests
 * in flight (`GATEWAY_MAX_INFLIGHT`); spread it into a route's responses.
 */
export const overloadedProblem = {
  503: {
    ...problemDoc(
      '`overloaded`: the gateway is at its bound of requests in flight and refused this one at ' +
        'once, before reading its body; nothing was done. Retry after `Retry-After` seconds',
    ),
    headers: {
      'Retry-After': {
        description: 'Whole seconds to wait before retrying',
        schema: { type: 'integer' as const, minimum: 1 },
      },
    },
  },
};

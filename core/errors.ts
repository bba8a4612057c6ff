/**
 * The one error type of the gateway. Every refusal carries a stable machine `code` that callers
 * switch on; the HTTP edge renders it as RFC 9457 problem+json. Messages are for humans and may
 * change; codes may not.
 */

/** Stable error codes and the HTTP status each one answers with by default. */
export const errorStatus = {
  malformed_json: 400,
  unauthenticated: 401,
  certificate_revoked: 401,
  replayed_assertion: 401,
  forbidden: 403,
  code_locked: 403,
  assurance_insufficient: 403,
  consent_missing: 403,
  policy_denied: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  consent_revoked: 410,
  consent_expired: 410,
  code_expired: 410,
  code_used: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  fields_not_covered: 422,
  rate_limited: 429,
  internal_error: 500,
  storage_unavailable: 503,
  overloaded: 503,
  portal_not_ready: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof errorStatus;

/** Short, stable titles: RFC 9457 says the title should not change from occurrence to occurrence. */
export const errorTitle: Record<ErrorCode, string> = {
  malformed_json: 'Request body is not valid JSON',
  unauthenticated: 'Authentication failed',
  certificate_revoked: 'Certificate revoked',
  replayed_assertion: 'Client assertion already used',
  forbidden: 'Not allowed for this principal',
  code_locked: 'Code locked after too many wrong attempts',
  assurance_insufficient: 'A stronger proof of identity is needed',
  consent_missing: 'No consent covers this exchange',
  policy_denied: 'Policy does not allow this flow',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict with the current state',
  consent_revoked: 'Consent revoked',
  consent_expired: 'Consent expired',
  code_expired: 'Code expired',
  code_used: 'Code already used',
  payload_too_large: 'Request body too large',
  unsupported_media_type: 'Unsupported media type',
  validation_failed: 'Request failed validation',
  fields_not_covered: 'Fields not covered by consent and policy',
  rate_limited: 'Too many requests',
  internal_error: 'Internal error',
  storage_unavailable: 'Storage unavailable',
  overloaded: 'Gateway overloaded, try again shortly',
  portal_not_ready: 'Portal not open yet',
};

/**
 * One thing wrong with an input: where (a JSON pointer, '' for the whole), in which part of the
 * request (as OpenAPI names them; absent for the body), and what.
 */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
  readonly in?: 'query' | 'path' | 'header' | 'cookie';
}

/** Why a decision went against the caller, e.g. which consent or rule is missing. */
export interface RefusalReason {
  readonly code: string;
  readonly message: string;
}

/** A message field that a consent and policy do not cover. */
export interface UncoveredField {
  readonly pointer: string;
  readonly category: string;
}

export interface GatewayErrorOptions {
  /** Human-readable explanation of this occurrence; never carries payload, identifiers or secrets. */
  readonly detail?: string;
  /** Overrides the code's default status (e.g. 400 for a nesting-depth failure). */
  readonly status?: number;
  readonly errors?: readonly ValidationIssue[];
  readonly reasons?: readonly RefusalReason[];
  readonly fields?: readonly UncoveredField[];
  /** For 429 and 503: seconds until a retry may succeed, sent as `Retry-After`. */
  readonly retryAfter?: number;
  readonly cause?: unknown;
}

/**
 * @example
 * ```ts
 * throw new GatewayError('conflict', { detail: 'tenant koeln exists already' });
 * ```
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;
  readonly errors: readonly ValidationIssue[] | undefined;
  readonly reasons: readonly RefusalReason[] | undefined;
  readonly fields: readonly UncoveredField[] | undefined;
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, options: GatewayErrorOptions = {}) {
    super(options.detail ?? errorTitle[code], { cause: options.cause });
    this.code = code;
    this.status = options.status ?? errorStatus[code];
    this.detail = options.detail;
    this.errors = options.errors;
    this.reasons = options.reasons;
    this.fields = options.fields;
    this.retryAfter = options.retryAfter;
  }
}

/** True for any GatewayError, also one from another copy of this module (e.g. across bundles). */
export function isGatewayError(value: unknown): value is GatewayError {
  return (
    value instanceof GatewayError ||
    (value instanceof Error &&
      value.name === 'GatewayError' &&
      'code' in value &&
      'status' in value)
  );
}

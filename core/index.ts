export { GatewayError, isGatewayError, errorStatus, errorTitle } from './errors.ts';
export type {
  ErrorCode,
  GatewayErrorOptions,
  ValidationIssue,
  RefusalReason,
  UncoveredField,
} from './errors.ts';
export { systemClock, FixedClock, OFFICE_TIME_ZONE } from './clock.ts';
export type { Clock } from './clock.ts';
export {
  toBase64Url,
  decodeBase64,
  randomBytes,
  randomId,
  sha256,
  sha256Bytes,
  hmacSha256,
  useHmacSha256,
  useSha256,
  constantTimeEqual,
} from './bytes.ts';
export type { HmacSha256, Sha256 } from './bytes.ts';
export { canonicalJson } from './canonical-json.ts';

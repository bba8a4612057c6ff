export { verifyClientAssertion, MAX_ASSERTION_LIFETIME_S, CLOCK_SKEW_S } from './assertion.ts';
export type { AuthenticatedPrincipal, AssertionCheck } from './assertion.ts';
export { AGENCY_TYPES } from './ports.ts';
export type {
  AgencyType,
  CertificateRecord,
  KeyUse,
  PkiStore,
  Principal,
  PrincipalKind,
  StoredKey,
  TenantKeyMaterial,
  TrustAnchor,
} from './ports.ts';
export { provisionTenant, provisionTenantKeys, newSigningKey } from './provision.ts';
export { checkMasterKey } from './master-key-check.ts';
export { GATEWAY_SIGNING_ALG } from './signing-key.ts';
export { createCrl } from './crl.ts';
export { verifyCertificateChain } from './chain.ts';
export {
  issueCertificate,
  certificateFingerprint,
  principalUri,
  parsePrincipalUri,
} from './issue.ts';
export { checkSubjectKey, jwsAlgorithmsFor, ALLOWED_JWS_ALGORITHMS } from './key-policy.ts';
export type { AllowedJwsAlgorithm } from './key-policy.ts';
export {
  compactParts,
  CompactJwsRefused,
  JoseEngineFailed,
  joseEngine,
  joseLibraryEngine,
  useJoseEngine,
} from './jose-engine.ts';
export type { CompactJwsParts, JoseEngine, SealAlgorithm } from './jose-engine.ts';
export { normalizeSerial, randomSerial } from './serial.ts';
export { parseCertificate, importAnchor } from './x509.ts';
export {
  importMasterKey,
  parseMasterKey,
  generateMasterKeyBytes,
  encodeMasterKey,
  wrapSecret,
  unwrapSecret,
  wrapPrivateKey,
  unwrapPrivateKey,
  keyContext,
  KeyUnwrapError,
  isKeyUnwrapError,
} from './key-wrap.ts';
export type { WrappedKey, KeyUnwrapReason } from './key-wrap.ts';
export {
  generateGatewayPgpKey,
  signDetached,
  verifyDetached,
  readPgpPublicKey,
  encryptToPgpKey,
} from './openpgp.ts';
export {
  registerWithCsr,
  registerWithCertificate,
  importTrustAnchor,
  revokeCertificate,
  currentCrl,
  caCertificate,
  rotateSigningKey,
} from './registry.ts';
export type { PkiDeps, NewPrincipal, RegisteredCertificate } from './registry.ts';
export { parseEncryptionKey } from './encryption-key.ts';
export { createGatewaySigner, signDetachedAsTenant, tenantPgpKey } from './signer.ts';
export type { GatewaySigner } from './signer.ts';
export { certificateKey, encryptionKey, subjectKeyOf } from './memo.ts';
export { BoundedMemo } from './memo.ts';

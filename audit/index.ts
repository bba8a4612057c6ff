export { AUDIT_EVENTS, AuditRace } from './ports.ts';
export type {
  AuditDraft,
  AuditEntry,
  AuditEvent,
  AuditQuery,
  AuditStore,
  PreparedAppend,
} from './ports.ts';
export { AuditLog, subjectRef } from './log.ts';
export { leafHash, nodeHash, emptyRoot, toBase64, fromBase64, equalBytes } from './leaf.ts';
export { nodesForAppend, rootHash, subtreeHash, MemoryNodeStore } from './merkle.ts';
export type { MerkleNodeStore } from './merkle.ts';
export { inclusionProof, consistencyProof, verifyInclusion, verifyConsistency } from './proofs.ts';
export { buildBundle, checkBundle, BUNDLE_FORMAT } from './bundle.ts';
export type { AuditBundle, BundleCheck } from './bundle.ts';

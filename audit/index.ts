export { AUDIT_EVENTS, AuditRace } from './ports.ts';
export type {
  AuditDraft,
  AuditEntry,
  AuditEvent,
  AuditQuery,
  AuditHead,
  AuditStore,
  PreparedAppend,
  StoredHead,
} from './ports.ts';
export { AuditLog, subjectRef } from './log.ts';
export { TicketLine } from './order.ts';
export type { AppendOrder, AppendTurn } from './order.ts';
export { leafHash, nodeHash, emptyRoot, toBase64, fromBase64, equalBytes } from './leaf.ts';
export { rootHash, subtreeHash } from './merkle.ts';
export { MemoryNodeStore } from './memory-tree.ts';
export { appendToHead, currentHead, emptyHead, packFrontier, unpackFrontier } from './head.ts';
export type { MerkleNodeStore } from './merkle.ts';
export { inclusionProof, consistencyProof, verifyInclusion, verifyConsistency } from './proofs.ts';
export { buildBundle, checkBundle, checkTreeHeadSignature, BUNDLE_FORMAT } from './bundle.ts';
export type { AuditBundle, BundleCheck } from './bundle.ts';
export { checkConsistentExports } from './consistency-check.ts';
export type { ExportConsistency, ExportConsistencyCode, ExportHead } from './consistency-check.ts';

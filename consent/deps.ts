import type { AuditLog, AuditStore } from '../audit/index.ts';
import type { GatewaySigner, PkiStore } from '../certs/index.ts';
import type { Clock } from '../core/index.ts';
import type { PolicySet } from '../policies/index.ts';
import type { TenantStore } from '../tenants/index.ts';
import type { ConsentStore } from './ports.ts';
import type { TenantHasher } from './secrets.ts';
import type { WithdrawalMethod } from './withdrawal-methods.ts';

/** What the consent operations need; the app builds it once from its injected ports. */
export interface ConsentDeps {
  readonly consents: ConsentStore;
  readonly pki: PkiStore;
  readonly tenants: TenantStore;
  readonly clock: Clock;
  readonly hasher: TenantHasher;
  readonly signer: GatewaySigner;
  readonly masterKey: CryptoKey;
  /** Every decision is recorded here, in the transaction of the change. */
  readonly audit: AuditLog;
  /** The log's read side, for access reports and the person's history. */
  readonly auditStore: AuditStore;
  /** The policy in force: a request must ask for a flow it allows, at the assurance it sets. */
  readonly policy: PolicySet;
  /**
   * The ways to withdraw this deployment offers, as notices and receipts name them (default: all;
   * without an eID provider, `portal-eid` is left out).
   */
  readonly withdrawalMethods?: readonly WithdrawalMethod[];
  /** The gateway's public base URL, for portal links and the receipt issuer. */
  readonly publicUrl: string;
  /** How long a one-time code opens its request (default 14 days). */
  readonly codeLifetimeMs?: number;
  /**
   * Called once a revocation is committed, with what must stop with it (the exchange withholds
   * the messages still waiting under the consent). The revocation itself does not depend on it:
   * a fetch re-checks the consent and a sweep catches anything a failed call left behind.
   */
  readonly onRevoked?: (tenantId: string, consentId: string) => Promise<void>;
}

export const DEFAULT_CODE_LIFETIME_MS = 14 * 24 * 3600 * 1000;
/** The longest a consent may run: two years, then the person is asked again. */
export const MAX_CONSENT_MS = 2 * 366 * 24 * 3600 * 1000;
export const MAX_SECOND_FACTOR_FAILURES = 5;
export const SESSION_IDLE_MS = 30 * 60 * 1000;

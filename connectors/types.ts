import type { z } from 'zod';
import type { AgencyType } from '../certs/ports.ts';
import type { DataCategory } from '../policies/vocabulary.ts';

/**
 * One top-level field of a message type and the data category it belongs to. Categories are fixed
 * per field, never per value: the gateway decides what a message carries by looking at which
 * fields are present, so a sender cannot understate what it sends.
 */
export interface FieldSpec {
  /** The top-level property name in the message JSON. */
  readonly name: string;
  readonly category: DataCategory;
  /** For integrators: what the field holds, in English. */
  readonly description: string;
  readonly required: boolean;
}

/**
 * A kind of message one agency type sends, e.g. the immigration office's
 * `residence_status.notice`.
 */
export interface MessageType {
  /** Globally unique, `<subject>.<kind>`, e.g. `residence_status.notice`. */
  readonly id: string;
  /** The agency type that sends messages of this type. */
  readonly agencyType: AgencyType;
  readonly title: string;
  readonly description: string;
  /**
   * Validates a whole message. Strict at every level (unknown fields are refused, never dropped:
   * dropping would change what the sender signed) and free of transforms, so the parsed message
   * is exactly the message received.
   */
  readonly schema: z.ZodType;
  /** One entry per top-level property of `schema`, in the schema's order. */
  readonly fields: readonly FieldSpec[];
  /** A fictitious message that passes `schema`, for integrators and tests. */
  readonly example: Record<string, unknown>;
}

/** The messages one agency type sends through the gateway. */
export interface Connector {
  readonly agencyType: AgencyType;
  readonly messageTypes: readonly MessageType[];
}

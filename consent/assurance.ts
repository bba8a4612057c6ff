/**
 * How a person's act reached the gateway. Its assurance — how sure the gateway is that it was the
 * person's — uses the eIDAS levels the policy speaks (`low`, `substantial`, `high`): a one-time
 * code an office handed over proves little about who typed it (`low`); an eID sign-in through a
 * broker in front of BundID proves identity at the level the provider states.
 */
export const CHANNELS = ['portal-code', 'portal-eid', 'assisted', 'paper'] as const;
export type Channel = (typeof CHANNELS)[number];

export { ASSURANCE_LEVELS, meetsAssurance, higherAssurance } from '../policies/index.ts';
export type { Assurance } from '../policies/index.ts';

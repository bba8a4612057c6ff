/**
 * The ways a person can withdraw a consent, as the notice lists them and the receipt records
 * them: in the portal with the withdrawal code given on grant, in the portal after an
 * identity-verified (eID) sign-in, or by telling any office that is party to the consent, which
 * records it. Order is the order the notice shows them in.
 */
export const WITHDRAWAL_METHODS = ['portal-withdrawal-code', 'portal-eid', 'office'] as const;
export type WithdrawalMethod = (typeof WITHDRAWAL_METHODS)[number];

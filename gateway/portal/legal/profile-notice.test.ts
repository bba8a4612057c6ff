import { describe, expect, it } from 'vitest';
import { incompleteProfileLine, portalNotReadyLine } from './profile-notice.ts';

describe('profile notice', () => {
  it('says in one line what is missing and the command that sets it', () => {
    expect(incompleteProfileLine('demo', ['address', 'dpoContact'])).toBe(
      'tenant demo: profile incomplete (missing: address, dpoContact); set it with: ' +
        'consent-gateway tenant set --tenant demo --address … --dpo-contact …',
    );
  });

  it('names the command that makes a tenant when there is none', () => {
    expect(portalNotReadyLine({ state: 'no_tenant' })).toBe(
      'no tenant: create one with: consent-gateway init --tenant ID --name NAME',
    );
  });
});

/**
 * Starting kits for municipalities joining a programme (`init --from-template`): which policy
 * set, supervisory authority and programme view a new tenant starts with, which offices it
 * registers and what they send, and the next steps written for its operator.
 */
export { templateById, TEMPLATE_IDS } from './templates.ts';
export { parseTenantTemplate, suggestedPrincipalId, TenantTemplateInput } from './template.ts';
export type { TenantTemplate, TemplateOffice } from './template.ts';
export { nextSteps } from './next-steps.ts';
export type { KitPaths } from './next-steps.ts';

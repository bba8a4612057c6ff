import { GatewayError } from '../../core/index.ts';
import { NRW_TEMPLATE } from './nrw.ts';
import { parseTenantTemplate, type TenantTemplate } from './template.ts';

// A Map, so that ids such as "constructor" or "__proto__" find nothing.
const TEMPLATES = new Map([[NRW_TEMPLATE.id, NRW_TEMPLATE]]);

/** The ids `init --from-template` knows, in the order they were added. */
export const TEMPLATE_IDS: readonly string[] = [...TEMPLATES.keys()];

/**
 * The template with this id, validated (a template that fails its own checks is a bug, and
 * surfaces here rather than as a half-set-up tenant).
 *
 * @example
 * ```ts
 * const kit = templateById('nrw');
 * kit.programme; // 'nrw'
 * ```
 * @throws GatewayError `not_found` for an unknown id, in one line naming the known ones;
 *   `validation_failed` if the template itself is invalid.
 */
export function templateById(id: string): TenantTemplate {
  const input = TEMPLATES.get(id);
  if (input === undefined) {
    throw new GatewayError('not_found', {
      detail: `unknown template ${JSON.stringify(id)}; known templates: ${TEMPLATE_IDS.join(', ')}`,
    });
  }
  return parseTenantTemplate(input);
}

/**
 * Connectors: per agency type, the messages it sends, their schemas and the data category of
 * every field. The gateway validates each message with them and derives from the fields present
 * which categories a message carries, for the consent and policy check.
 */
export { CONNECTORS, MAX_ISSUES, catalogue, findMessageType, parseMessage } from './catalogue.ts';
export type { CatalogueEntry, ParsedMessage } from './catalogue.ts';
export { defineMessageType, CEFR_LEVELS } from './define.ts';
export type { FieldDefinition, MessageOf, MessageTypeDefinition } from './define.ts';
export { immigrationOfficeConnector, RESIDENCE_TITLE_KINDS } from './immigration_office/index.ts';
export { jobcenterConnector } from './jobcenter/index.ts';
export { socialOfficeConnector, BENEFIT_TYPES } from './social_office/index.ts';
export type { Connector, FieldSpec, MessageType } from './types.ts';

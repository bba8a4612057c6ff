import { readFileSync } from 'node:fs';

/** The gateway's version as package.json states it (Node entries only). */
export const gatewayVersion: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

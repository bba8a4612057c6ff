import packageJson from '../package.json' with { type: 'json' };

/** The gateway's version as package.json states it; bundled into the Worker, read on Node. */
export const gatewayVersion: string = packageJson.version;

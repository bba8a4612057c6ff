import type { DocsAssets } from './routes/docs.ts';

/** The static-assets binding (wrangler.toml `[assets]`): files uploaded with the Worker. */
export interface AssetsBinding {
  fetch(input: string): Promise<Response>;
}

/**
 * The API reference's files from the Worker's own static assets (the `swagger-ui-dist` folder,
 * uploaded by `wrangler deploy`), so /docs needs no CDN at the edge either. `run_worker_first`
 * keeps the folder itself unreachable: only the gateway serves, and only these files.
 */
export function workerDocsAssets(assets: AssetsBinding): DocsAssets {
  return {
    async read(name) {
      const response = await assets.fetch(`https://assets.local/${name}`);
      return response.ok ? new Uint8Array(await response.arrayBuffer()) : undefined;
    },
  };
}

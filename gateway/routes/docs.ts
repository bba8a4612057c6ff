import type { OpenAPIHono } from '@hono/zod-openapi';
import { GatewayError } from '../../core/index.ts';
import type { GatewayEnv } from '../env.ts';

/** The files of the interactive API reference (Swagger UI) the gateway serves itself. */
export const docsAssetTypes = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
} as const;

export type DocsAssetName = keyof typeof docsAssetTypes;

/**
 * Where the API reference's static files come from: on Node the `swagger-ui-dist` package on disk,
 * on Workers the bundled module. Served by the gateway so the reference works without internet
 * and under a CSP that allows only the gateway's own origin.
 */
export interface DocsAssets {
  read(name: DocsAssetName): Promise<Uint8Array<ArrayBuffer> | undefined>;
}

export interface DocsInfo {
  readonly version: string;
  readonly publicUrl: string;
}

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Consent gateway — API reference</title>
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<main id="swagger-ui"><noscript>The interactive reference needs JavaScript. The OpenAPI document is at <a href="/openapi.json">/openapi.json</a>.</noscript></main>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

// A file of its own rather than an inline script, so the strict CSP needs no 'unsafe-inline'.
// validatorUrl null: Swagger UI would otherwise send the document to an outside validator.
const init = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: false,
});
`;

const isDocsAsset = (name: string): name is DocsAssetName => Object.hasOwn(docsAssetTypes, name);

/** `GET /openapi.json` (OpenAPI 3.1 from the route schemas) and the reference at `GET /docs`. */
export function registerDocs(
  app: OpenAPIHono<GatewayEnv>,
  assets: DocsAssets,
  info: DocsInfo,
): void {
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Consent gateway',
      version: info.version,
      description:
        'Consent-bound exchange of case data between municipal offices. Every error is ' +
        'RFC 9457 problem+json with a stable `code`. A known path under a method it does not ' +
        'serve answers 405 `method_not_allowed` with an `Allow` header. Agencies, DPOs and ' +
        'operators are rate-limited per principal and route class: 429 `rate_limited` with ' +
        '`Retry-After`, `RateLimit-Policy` and `RateLimit`. When the gateway is at its bound of ' +
        'requests in flight (`GATEWAY_MAX_INFLIGHT`), every route but `GET /health` answers 503 ' +
        '`overloaded` with `Retry-After` at once, before reading the body (portal pages: a page ' +
        'saying so).',
    },
    servers: [{ url: info.publicUrl }],
    tags: [
      { name: 'Public', description: 'No authentication' },
      { name: 'Identity', description: 'Client assertions and registered principals' },
      { name: 'Consent', description: 'Agencies ask for consent and follow its state' },
      { name: 'Policy', description: 'Which flows the municipality allows' },
      {
        name: 'Connectors',
        description: 'Message types, their schemas and data categories (no authentication)',
      },
      { name: 'Exchange', description: 'Case messages under consent, and the mailbox' },
      { name: 'Audit', description: 'Tamper-evident log for data-protection officers' },
      {
        name: 'Portal',
        description:
          'The person decides, reviews and withdraws (session cookie). A session reaches what its ' +
          'credential opens: a one-time code its own request and the consent granted from it ' +
          '(spent once decided: 410 `code_used`), a withdrawal code its one consent, the ' +
          'identity-verified sign-in (OpenID Connect) everything of the person; anything else ' +
          'answers 404. The same operations as HTML pages for people, in de, en, ar, uk, fa and ' +
          'tr: `/portal/sign-in?code=…`, `/portal/withdraw`, `/portal/eid/start` (POST, a form) → ' +
          'the provider → `/portal/eid/callback`, `/portal/requests/{id}`, `/portal/consents`, ' +
          '`/portal/history`, `/portal/consents/{id}/receipt` and ' +
          '`/portal/consents/{id}/receipt.jwt`.',
      },
    ],
  });

  app.get('/docs', (c) => c.html(page));
  app.get('/docs/init.js', (c) =>
    c.body(init, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }),
  );
  app.get('/docs/assets/:name', async (c) => {
    const name = c.req.param('name');
    const content = isDocsAsset(name) ? await assets.read(name) : undefined;
    if (!content) throw new GatewayError('not_found', { detail: 'no such asset' });
    return c.body(content, 200, {
      'Content-Type': docsAssetTypes[name as DocsAssetName],
      'Cache-Control': 'public, max-age=86400',
    });
  });
}

// Each test file runs in a workerd of its own with an empty D1 database: bring it to the schema
// under migrations/ first, as `wrangler d1 migrations apply` does for a deployment.
import { applyD1Migrations, env } from 'cloudflare:test';

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactSign, importPKCS8, SignJWT } from 'jose';

/**
 * Plays an agency system against a gateway started on an empty data dir, with the demo agencies'
 * keys that `npm start` wrote to `data/demo/`: client assertions and signed messages, made with
 * jose in-process (the CLI's `token` and `sign` do the same, one process each).
 */
export function demoAgency(dataDir: string, id: string, audience: string) {
  const certPem = readFileSync(join(dataDir, 'demo', `${id}.crt`), 'utf8');
  const der = certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  const key = importPKCS8(readFileSync(join(dataDir, 'demo', `${id}.key`), 'utf8'), 'ES256');
  return {
    id,
    async token(): Promise<string> {
      return new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c: [der] })
        .setIssuer(id)
        .setSubject(id)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('2m')
        .setJti(crypto.randomUUID())
        .sign(await key);
    },
    async sign(message: unknown): Promise<string> {
      return new CompactSign(new TextEncoder().encode(JSON.stringify(message)))
        .setProtectedHeader({ alg: 'ES256' })
        .sign(await key);
    },
  };
}

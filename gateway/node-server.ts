import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logging.ts';

export interface NodeServerOptions {
  readonly fetch: (request: Request) => Response | Promise<Response>;
  readonly port: number;
  readonly host: string;
  readonly logger: Logger;
  /** How long in-flight requests may take to finish after a shutdown begins. */
  readonly graceMs?: number;
}

export interface RunningServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /**
   * Stops accepting connections, lets in-flight requests finish (up to the grace period, then cuts
   * them), and resolves when the last connection is gone. Safe to call more than once.
   */
  shutdown(): Promise<void>;
}

/** Serves `fetch` over HTTP/1.1 on Node; resolves once listening, rejects if the port is taken. */
export function startNodeServer(options: NodeServerOptions): Promise<RunningServer> {
  const graceMs = options.graceMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const server = serve({
      fetch: options.fetch,
      port: options.port,
      hostname: options.host,
    }) as Server;
    // Slow clients must not pin sockets forever; a request gets 30 s to arrive whole.
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    const onStartError = (error: Error): void => {
      reject(error);
    };
    server.once('error', onStartError);
    server.once('listening', () => {
      server.off('error', onStartError);
      server.on('error', (error) => {
        options.logger.error({ errorType: error.name }, 'server error');
      });
      let closing: Promise<void> | undefined;
      resolve({
        port: (server.address() as AddressInfo).port,
        shutdown() {
          closing ??= new Promise<void>((done) => {
            const cut = setTimeout(() => {
              options.logger.warn({ graceMs }, 'grace period over, closing remaining connections');
              server.closeAllConnections();
            }, graceMs);
            cut.unref();
            // Keep-alive sockets hold close() open; drop each as soon as its last request is done.
            const sweep = setInterval(() => {
              server.closeIdleConnections();
            }, 50);
            server.close(() => {
              clearTimeout(cut);
              clearInterval(sweep);
              done();
            });
            server.closeIdleConnections();
          });
          return closing;
        },
      });
    });
  });
}

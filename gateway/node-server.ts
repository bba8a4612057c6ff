import { serve } from '@hono/node-server';
import type { Server, ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from './logging.ts';

export interface NodeServerOptions {
  readonly fetch: (request: Request) => Response | Promise<Response>;
  readonly port: number;
  readonly host: string;
  readonly logger: Logger;
  /** How long in-flight requests may take to finish after a shutdown begins. */
  readonly graceMs?: number;
  /** How long a client may take to send the request line and headers; then 408. Default 10 s. */
  readonly headersTimeoutMs?: number;
  /** How long a client may take to send the whole request, body included; then 408. Default 30 s. */
  readonly requestTimeoutMs?: number;
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

/**
 * Serves `fetch` over HTTP/1.1 on Node; resolves once listening, rejects if the port is taken.
 *
 * Slow clients do not pin sockets: the headers must arrive within `headersTimeoutMs` and the whole
 * request within `requestTimeoutMs`, else the client gets 408 and the log an info line `request
 * timeout`. A client that drops its connection before its request was whole is logged at info as
 * `client closed the request`, a request Node cannot parse as `malformed request` (answered 400 or
 * 431). None of them is an error of the gateway.
 */
export function startNodeServer(options: NodeServerOptions): Promise<RunningServer> {
  const graceMs = options.graceMs ?? 10_000;
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  if (!(Number.isInteger(headersTimeout) && headersTimeout > 0)) {
    throw new RangeError('headersTimeoutMs must be a positive whole number of milliseconds');
  }
  if (!(Number.isInteger(requestTimeout) && requestTimeout >= headersTimeout)) {
    throw new RangeError(
      'requestTimeoutMs must be a whole number no smaller than headersTimeoutMs',
    );
  }
  const { logger } = options;
  return new Promise((resolve, reject) => {
    // The timeouts go in at construction: Node checks them on a timer fixed then, every 30 s by
    // default, which let a 10 s header timeout act after up to 40 s. Checked every second (or
    // faster for shorter timeouts), each applies within a second of its value.
    const serverOptions: ServerOptions = {
      headersTimeout,
      requestTimeout,
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(headersTimeout / 2)),
    };
    const server = serve({
      fetch: options.fetch,
      port: options.port,
      hostname: options.host,
      serverOptions,
    }) as Server;
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
      answerClientError(error, socket, logger, { headersTimeout, requestTimeout });
    });
    const onStartError = (error: Error): void => {
      reject(error);
    };
    server.once('error', onStartError);
    server.once('listening', () => {
      server.off('error', onStartError);
      server.on('error', (error) => {
        logger.error({ errorType: error.name }, 'server error');
      });
      let closing: Promise<void> | undefined;
      resolve({
        port: (server.address() as AddressInfo).port,
        shutdown() {
          closing ??= new Promise<void>((done) => {
            const cut = setTimeout(() => {
              logger.warn({ graceMs }, 'grace period over, closing remaining connections');
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

const responses = {
  timeout: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
  tooLarge:
    'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
  malformed: 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
} as const;

/**
 * What Node does for a client error when nobody listens (answer 408, 431 or 400, close), plus a
 * log line that says what happened. No request id: the request never reached the app.
 */
function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Duplex,
  logger: Logger,
  timeouts: { readonly headersTimeout: number; readonly requestTimeout: number },
): void {
  const code = error.code ?? 'unknown';
  let response: string | undefined;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    logger.info({ code, ...timeouts }, 'request timeout');
    response = responses.timeout;
  } else if (code === 'ECONNRESET' || code === 'EPIPE') {
    logger.info({ code }, 'client closed the request');
  } else {
    logger.info({ code }, 'malformed request');
    response = code === 'HPE_HEADER_OVERFLOW' ? responses.tooLarge : responses.malformed;
  }
  // Only where no answer has begun: half a response followed by another corrupts the stream.
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (response && socket.writable && !inFlight?.headersSent) socket.write(response);
  socket.destroy();
}

/**
 * The client's address for throttling, as a reverse proxy reports it. Behind a TLS-terminating
 * proxy every connection comes from the proxy, so keying on the socket alone would let ten failed
 * sign-ins anywhere lock out everyone. `X-Forwarded-For` is believed only when the socket peer is
 * a proxy the operator named, and only from the right: each trusted proxy appends the address it
 * saw, so the right-most address that is not a trusted proxy is the client. Anything a client
 * wrote further left is ignored.
 *
 * @example
 * clientAddressOf('10.0.0.2', '203.0.113.9, 198.51.100.7', ['10.0.0.2']) // '198.51.100.7'
 */
export function clientAddressOf(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trustedProxies: readonly string[],
): string | undefined {
  if (socketAddress === undefined) return undefined;
  const trusted = new Set(trustedProxies.map(normalize));
  if (!trusted.has(normalize(socketAddress)) || forwardedFor === undefined) return socketAddress;
  const hops = forwardedFor
    .slice(0, 2048)
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => /^[0-9a-fA-F:.]{2,45}$/.test(hop));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (hop !== undefined && !trusted.has(normalize(hop))) return hop;
  }
  return socketAddress;
}

/** IPv4 addresses arrive as `::ffff:10.0.0.2` on dual-stack sockets. */
function normalize(address: string): string {
  return address.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}

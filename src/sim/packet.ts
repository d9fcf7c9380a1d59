/**
 * What travels on the simulated network: a datagram with its source and
 * destination. Hosts are named by address; ports and transport ride along so
 * the resolver sees the peer exactly as it configured it.
 */
import type { Endpoint } from '../core/types.js';

/** A UDP or TCP endpoint (the simulator carries no DoH). */
export type SimEndpoint = Extract<Endpoint, { transport: 'udp' | 'tcp' }>;

/** One datagram in flight. */
export interface Packet {
  readonly from: SimEndpoint;
  readonly to: SimEndpoint;
  readonly data: Uint8Array;
}

/** A packet handed out by the network at its arrival time. */
export interface Delivery extends Packet {
  readonly at: number;
}

/** A UDP endpoint. */
export function udp(address: string, port = 53): SimEndpoint {
  return { transport: 'udp', address, port };
}

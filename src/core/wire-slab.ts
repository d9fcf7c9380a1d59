/**
 * Room for the datagrams of attempts (issue 13): each attempt's wire is a
 * view into a shared slab of {@link SLAB_BYTES}, taken in order and never
 * handed out twice, instead of a `Uint8Array` with an `ArrayBuffer` (and its
 * backing store, freed by the garbage collector's sweep of array buffers) of
 * its own. A new slab is made when the current one is full; a full slab is
 * freed when the last of its views is, as Node's `Buffer` pool is.
 *
 * No byte of a slab is written twice: a datagram handed out by `poll()`
 * (`Transmit.data`) stays as it was for as long as the caller keeps it,
 * whether a socket still holds it for sending, a queue for a later turn, or a
 * trace for later. The cost of that: a view kept alive keeps its whole slab
 * (at most {@link SLAB_BYTES}).
 */

/** Bytes of one slab: about 100 attempts of a short name with EDNS and a cookie. */
export const SLAB_BYTES = 8192;

/** Hands out fresh, zeroed views of shared slabs. */
export class WireSlab {
  private slab = new Uint8Array(0);
  private used = 0;

  /** `length` fresh bytes (all zero, never handed out before), for one datagram. */
  take(length: number): Uint8Array {
    if (this.used + length > this.slab.length) {
      this.slab = new Uint8Array(Math.max(SLAB_BYTES, length));
      this.used = 0;
    }
    const start = this.used;
    this.used = start + length;
    return this.slab.subarray(start, this.used);
  }
}

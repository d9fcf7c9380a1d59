/**
 * Shapes of decoded DNS messages, as the core hands them to callers.
 *
 * Names are in presentation format without the trailing dot (`example.com`;
 * the root is `.`), with `\.`, `\\` and `\DDD` escapes for bytes that need
 * them (RFC 4343 §2.1). Binary data is a plain `Uint8Array`.
 */

/** Header flags of a message (RFC 1035 §4.1.1, RFC 4035 §3.2). */
export interface Flags {
  readonly qr: boolean;
  readonly aa: boolean;
  readonly tc: boolean;
  readonly rd: boolean;
  readonly ra: boolean;
  readonly ad: boolean;
  readonly cd: boolean;
}

export interface Question {
  readonly name: string;
  readonly type: number;
  readonly class: number;
}

export interface MxData { readonly preference: number; readonly exchange: string }
export interface SoaData {
  readonly mname: string;
  readonly rname: string;
  readonly serial: number;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  readonly minimum: number;
}
export interface SrvData { readonly priority: number; readonly weight: number; readonly port: number; readonly target: string }
export interface CaaData { readonly flags: number; readonly tag: string; readonly value: string }
export interface NaptrData {
  readonly order: number;
  readonly preference: number;
  readonly flags: string;
  readonly services: string;
  readonly regexp: string;
  readonly replacement: string;
}
export interface HinfoData { readonly cpu: string; readonly os: string }
/** SVCB and HTTPS (RFC 9460): params keyed by their numeric SvcParamKey, values raw. */
export interface SvcbData {
  readonly priority: number;
  readonly target: string;
  readonly params: ReadonlyArray<{ readonly key: number; readonly value: Uint8Array }>;
}

/** Decoded rdata by type name. Types listed with `Uint8Array` carry their raw rdata. */
export interface RecordDataMap {
  A: string;
  AAAA: string;
  NS: string;
  CNAME: string;
  PTR: string;
  DNAME: string;
  MX: MxData;
  TXT: readonly Uint8Array[];
  SOA: SoaData;
  SRV: SrvData;
  CAA: CaaData;
  NAPTR: NaptrData;
  HINFO: HinfoData;
  SVCB: SvcbData;
  HTTPS: SvcbData;
  DS: Uint8Array;
  DNSKEY: Uint8Array;
  RRSIG: Uint8Array;
  NSEC: Uint8Array;
  NSEC3: Uint8Array;
  TLSA: Uint8Array;
  SSHFP: Uint8Array;
}

export type KnownTypeName = keyof RecordDataMap;
/** A type without a name of its own is written `TYPE<n>` (RFC 3597). */
export type GenericTypeName = `TYPE${number}`;
export type TypeName = KnownTypeName | GenericTypeName;

interface RecordBase {
  readonly name: string;
  /** Numeric class; 1 is IN. */
  readonly class: number;
  /** TTL in seconds as received; one with its top bit set reads 0 (RFC 2181 §8). */
  readonly ttl: number;
}

export type DnsRecord =
  | { [K in KnownTypeName]: RecordBase & { readonly type: K; readonly data: RecordDataMap[K] } }[KnownTypeName]
  | (RecordBase & { readonly type: GenericTypeName; readonly data: Uint8Array });

export interface EdnsOption { readonly code: number; readonly data: Uint8Array }

export interface Edns {
  /** Requestor's UDP payload size (RFC 6891 §6.2.3). */
  readonly payload: number;
  readonly version: number;
  readonly do: boolean;
  readonly options: readonly EdnsOption[];
}

/** A decoded message. `rcode` is the full 12-bit rcode (with the OPT extension). */
export interface Message {
  readonly id: number;
  readonly opcode: number;
  readonly rcode: number;
  readonly flags: Flags;
  readonly questions: readonly Question[];
  readonly answers: readonly DnsRecord[];
  readonly authorities: readonly DnsRecord[];
  /** Additional records, without the OPT pseudo-record (that is `edns`). */
  readonly additionals: readonly DnsRecord[];
  readonly edns: Edns | undefined;
}

/** Why a message was refused by the decoder. Stable strings, used as counter names. */
export type MalformedReason =
  | 'oversize'
  | 'short-header'
  | 'truncated'
  | 'bad-count'
  | 'bad-label'
  | 'bad-pointer'
  | 'name-too-long'
  | 'bad-rdlength'
  | 'bad-rdata'
  | 'trailing-bytes'
  | 'multiple-opt'
  | 'decoder-mismatch';

export type DecodeResult =
  | { readonly ok: true; readonly message: Message }
  | { readonly ok: false; readonly reason: MalformedReason };

/** The OPT record to write: a {@link Edns} whose version, DO bit and options may be left out. */
export interface EdnsInput {
  /** Requestor's UDP payload size, 0–65535 (RFC 6891 §6.2.3). */
  readonly payload: number;
  /** EDNS version, 0–255; default 0. */
  readonly version?: number | undefined;
  readonly do?: boolean | undefined;
  readonly options?: readonly EdnsOption[] | undefined;
}

/**
 * What `encodeMessage` accepts: a {@link Message} whose header fields and
 * sections may be left out (`opcode` 0, `rcode` 0, flags false, sections
 * empty, no OPT record). An `rcode` above 15 needs `edns` (RFC 6891 §6.1.3).
 */
export interface MessageInput {
  readonly id: number;
  readonly opcode?: number | undefined;
  readonly rcode?: number | undefined;
  readonly flags?: Partial<Flags> | undefined;
  readonly questions?: readonly Question[] | undefined;
  readonly answers?: readonly DnsRecord[] | undefined;
  readonly authorities?: readonly DnsRecord[] | undefined;
  readonly additionals?: readonly DnsRecord[] | undefined;
  readonly edns?: EdnsInput | undefined;
}

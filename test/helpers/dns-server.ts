import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

/**
 * A tiny authoritative DNS responder over UDP on 127.0.0.1, enough for the dns check's tests: it answers
 * A, AAAA and TXT questions from a fixed table, NXDOMAIN for names it does not know, an empty answer
 * (NODATA) for a known name without that type, and never answers names listed in `silent`.
 */

export interface DnsRecords {
  A?: string[];
  AAAA?: string[];
  TXT?: string[];
}

export interface DnsServer {
  /** "127.0.0.1:<port>", the form `resolver:` takes. */
  address: string;
  /** Questions received, as "name TYPE". */
  queries: string[];
  close(): Promise<void>;
}

const TYPES: Record<number, keyof DnsRecords> = { 1: 'A', 28: 'AAAA', 16: 'TXT' };
const TYPE_NAMES: Record<number, string> = { 1: 'A', 28: 'AAAA', 16: 'TXT', 5: 'CNAME', 15: 'MX', 2: 'NS', 33: 'SRV' };

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  while (msg[at]! > 0) {
    const len = msg[at]!;
    labels.push(msg.toString('ascii', at + 1, at + 1 + len));
    at += 1 + len;
  }
  return { name: labels.join('.').toLowerCase(), end: at + 1 };
}

function rdata(type: keyof DnsRecords, value: string): Buffer {
  if (type === 'A') return Buffer.from(value.split('.').map(Number));
  if (type === 'AAAA') {
    const [head = '', tail = ''] = value.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = value.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
    const buf = Buffer.alloc(16);
    groups.forEach((g, i) => buf.writeUInt16BE(parseInt(g, 16), i * 2));
    return buf;
  }
  const text = Buffer.from(value, 'utf8');
  return Buffer.concat([Buffer.from([text.length]), text]);
}

export async function startDnsServer(zone: Record<string, DnsRecords>, silent: string[] = []): Promise<DnsServer> {
  const socket = dgram.createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (msg, peer) => {
    if (msg.length < 12) return;
    const { name, end } = readName(msg, 12);
    const qtype = msg.readUInt16BE(end);
    queries.push(`${name} ${TYPE_NAMES[qtype] ?? qtype}`);
    if (silent.includes(name)) return;
    const records = zone[name];
    const type = TYPES[qtype];
    const values = records && type ? records[type] ?? [] : [];
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2); // id
    const rd = msg[2]! & 0x01;
    header[2] = 0x84 | rd; // QR, AA, RD echoed
    header[3] = 0x80 | (records ? 0 : 3); // RA; NXDOMAIN for unknown names
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(values.length, 6);
    const question = msg.subarray(12, end + 4);
    const answers = values.map((value) => {
      const data = rdata(type!, value);
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
      rr.writeUInt16BE(qtype, 2);
      rr.writeUInt16BE(1, 4); // IN
      rr.writeUInt32BE(60, 6);
      rr.writeUInt16BE(data.length, 10);
      return Buffer.concat([rr, data]);
    });
    socket.send(Buffer.concat([header, question, ...answers]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

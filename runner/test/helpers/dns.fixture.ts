import dns2 from 'dns2';

const { Packet } = dns2;

/** Zone data: record type → answers; MX answers are "priority exchange". */
export type Zone = Record<string, Partial<Record<'A' | 'AAAA' | 'CNAME' | 'TXT' | 'MX', string[]>>>;

export interface DnsFixture {
  /** "127.0.0.1:port", the form a DNS monitor's `resolver` takes. */
  resolver: string;
  queries: string[];
  close(): Promise<void>;
}

/** An authoritative-only DNS server on UDP loopback answering from `zone` (NXDOMAIN otherwise). */
export async function startDnsFixture(zone: Zone, options: { silent?: boolean } = {}): Promise<DnsFixture> {
  const queries: string[] = [];
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const [question] = request.questions;
      if (!question) return;
      queries.push(`${question.name}/${question.type}`);
      if (options.silent) return; // never answers: lets tests exercise timeouts
      const response = Packet.createResponseFromRequest(request);
      const records = zone[question.name.toLowerCase()];
      if (!records) {
        response.header.rcode = 3; // NXDOMAIN
        void send(response);
        return;
      }
      const base = { name: question.name, class: Packet.CLASS.IN, ttl: 60 };
      const add = (type: number, fields: Record<string, unknown>): void => void response.answers.push({ ...base, type, ...fields } as never);
      if (question.type === Packet.TYPE.A) records.A?.forEach((address) => add(Packet.TYPE.A, { address }));
      if (question.type === Packet.TYPE.AAAA) records.AAAA?.forEach((address) => add(Packet.TYPE.AAAA, { address }));
      if (question.type === Packet.TYPE.CNAME) records.CNAME?.forEach((domain) => add(Packet.TYPE.CNAME, { domain }));
      if (question.type === Packet.TYPE.TXT) records.TXT?.forEach((data) => add(Packet.TYPE.TXT, { data }));
      if (question.type === Packet.TYPE.MX) {
        records.MX?.forEach((mx) => {
          const [priority, exchange] = mx.split(' ');
          add(Packet.TYPE.MX, { priority: Number(priority), exchange });
        });
      }
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = (addresses as { udp?: { port: number } }).udp?.port;
  if (!port) throw new Error('DNS fixture did not bind a UDP port');
  return { resolver: `127.0.0.1:${port}`, queries, close: () => server.close() };
}

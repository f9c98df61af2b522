// A TCP proxy in front of PostgreSQL that counts what the app sends: round trips (a simple Query, or
// the Sync that ends an extended-protocol exchange) and statements (a simple Query or an Execute).
// bench:http points a second app instance at it for a short counting pass, so the measured runs carry
// no extra hop. The bytes are forwarded unchanged.
import net from "node:net";

export type ProxyCounts = { roundTrips: number; statements: number };

export async function startCountingProxy(upstream: {
  host: string;
  port: number;
}): Promise<{ port: number; counts: () => ProxyCounts; reset: () => void; close: () => Promise<void> }> {
  let counts: ProxyCounts = { roundTrips: 0, statements: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const server = net.connect(upstream.port, upstream.host);
    sockets.add(client).add(server);
    const count = frontendCounter((type) => {
      if (type === "Q") counts = { roundTrips: counts.roundTrips + 1, statements: counts.statements + 1 };
      else if (type === "S") counts = { ...counts, roundTrips: counts.roundTrips + 1 };
      else if (type === "E") counts = { ...counts, statements: counts.statements + 1 };
    });
    client.on("data", (chunk: Buffer) => {
      count(chunk);
      server.write(chunk);
    });
    server.pipe(client);
    const end = () => {
      client.destroy();
      server.destroy();
      sockets.delete(client);
      sockets.delete(server);
    };
    client.on("close", end).on("error", end);
    server.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    counts: () => counts,
    reset: () => {
      counts = { roundTrips: 0, statements: 0 };
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Splits the frontend byte stream into messages and reports each one's type. The first message (the
 * startup packet, or an SSL/GSS request followed by it) has no type byte.
 */
function frontendCounter(onMessage: (type: string) => void): (chunk: Buffer) => void {
  let isStartup = true;
  let header = Buffer.alloc(0);
  let skip = 0;
  return (chunk) => {
    let offset = 0;
    while (offset < chunk.length) {
      if (skip > 0) {
        const taken = Math.min(skip, chunk.length - offset);
        skip -= taken;
        offset += taken;
        continue;
      }
      const headerLength = isStartup ? 4 : 5;
      const needed = headerLength - header.length;
      header = Buffer.concat([header, chunk.subarray(offset, offset + needed)]);
      offset += Math.min(needed, chunk.length - offset);
      if (header.length < headerLength) return;
      if (isStartup) {
        const length = header.readInt32BE(0);
        // An SSLRequest/GSSENCRequest (8 bytes, code 80877103/80877104) is followed by the real startup.
        skip = length - 4;
        const code = length === 8 && offset + 4 <= chunk.length ? chunk.readInt32BE(offset) : 0;
        if (code !== 80877103 && code !== 80877104) isStartup = false;
      } else {
        onMessage(String.fromCharCode(header[0]!));
        skip = header.readInt32BE(1) - 4;
      }
      header = Buffer.alloc(0);
    }
  };
}

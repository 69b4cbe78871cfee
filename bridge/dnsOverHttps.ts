// DNS over HTTPS (RFC 8484) in front of the bridge's engine: `GET ?dns=<base64url message>` and
// `POST` with `application/dns-message`. Fetch API only, so it runs in the gateway on Node and on
// Cloudflare Workers.
import type { createBridgeAnswerer } from "./answerQuery.ts";

/** The path the gateway mounts the route on (RFC 8484 §4.1's example path). */
export const DNS_QUERY_PATH = "/dns-query";
/** The media type of DNS messages over HTTPS. */
export const DNS_MESSAGE_TYPE = "application/dns-message";
/** Largest DNS message accepted (a DNS message is at most 65,535 bytes). */
const MAX_DNS_MESSAGE = 65_535;

type Answerer = ReturnType<typeof createBridgeAnswerer>;

/** Answers one DoH request; every failure is a 4xx with a JSON reason. */
export async function handleDnsOverHttps(request: Request, answerer: Answerer): Promise<Response> {
  let message: Uint8Array;
  if (request.method === "GET") {
    const encoded = new URL(request.url).searchParams.get("dns");
    if (encoded === null) return failure(400, "missing the dns query parameter (RFC 8484 §4.1)");
    if (!/^[A-Za-z0-9_-]*$/.test(encoded) || encoded.length > Math.ceil((MAX_DNS_MESSAGE * 4) / 3))
      return failure(400, "the dns parameter is not unpadded base64url (RFC 8484 §4.1)");
    message = new Uint8Array(Buffer.from(encoded, "base64url"));
  } else if (request.method === "POST") {
    const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
    if (type !== DNS_MESSAGE_TYPE)
      return failure(415, `the request body must be ${DNS_MESSAGE_TYPE}`);
    const body = await readLimited(request, MAX_DNS_MESSAGE);
    if (body === undefined)
      return failure(413, `a DNS message is at most ${MAX_DNS_MESSAGE} bytes`);
    message = body;
  } else {
    return failure(405, "use GET ?dns= or POST application/dns-message (RFC 8484)", {
      allow: "GET, POST",
    });
  }
  const reply = await answerer.answer(message, { transport: "https" });
  if (!reply) return failure(400, "not a DNS query message (shorter than a header, or a response)");
  return new Response(reply as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      "content-type": DNS_MESSAGE_TYPE,
      // RFC 8484 §5.1: cacheable for the smallest TTL of the answer.
      "cache-control": `max-age=${minimumTtl(reply)}`,
    },
  });
}

function failure(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ message }, { status, headers });
}

/** The body, or undefined once it exceeds `limit` bytes (read as it streams). */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

/** The smallest TTL of a response's answer and authority records (0 when it has none). */
function minimumTtl(reply: Uint8Array): number {
  const view = Buffer.from(reply.buffer, reply.byteOffset, reply.length);
  const count = view.readUInt16BE(6) + view.readUInt16BE(8);
  if (count === 0) return 0;
  let offset = 12;
  let smallest = Number.POSITIVE_INFINITY;
  const skipName = () => {
    while (offset < view.length) {
      const length = view[offset] as number;
      if (length === 0 || (length & 0xc0) === 0xc0) {
        offset += length === 0 ? 1 : 2;
        return;
      }
      offset += length + 1;
    }
  };
  for (let question = view.readUInt16BE(4); question > 0; question--) {
    skipName();
    offset += 4;
  }
  for (let record = 0; record < count && offset + 10 <= view.length; record++) {
    skipName();
    smallest = Math.min(smallest, view.readUInt32BE(offset + 4));
    offset += 10 + view.readUInt16BE(offset + 8);
  }
  return Number.isFinite(smallest) ? smallest : 0;
}

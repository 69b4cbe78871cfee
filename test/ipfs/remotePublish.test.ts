// Publishing without a daemon: the IPNS record through a Delegated Routing V1 server and the tree
// through a pinning service (CAR upload + Pinning Service API), both real servers on 127.0.0.1
// that validate what they receive (test/ipfs/remoteServers.ts).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CarWriter } from "@ipld/car";
import { unmarshalIPNSRecord } from "ipns";
import type { CID } from "multiformats/cid";
import {
  createEmbeddedIpfs,
  type EmbeddedIpfs,
  exportDagCar,
  pinCar,
  putIpnsRecord,
} from "../../ipfs/index.ts";
import { deriveTestIpnsSeed, makeTempDirectory, recordTree } from "./helpers.ts";
import { startPinningServer, startRoutingServer } from "./remoteServers.ts";

const TOKEN = "test-pin-token";

describe("publishing through delegated routing and a pinning service", () => {
  let temp: Awaited<ReturnType<typeof makeTempDirectory>>;
  let ipfs: EmbeddedIpfs;
  let routing: Awaited<ReturnType<typeof startRoutingServer>>;
  let pinning: Awaited<ReturnType<typeof startPinningServer>>;
  let seed: `0x${string}`;
  let root: CID;
  let name: string;

  before(async () => {
    temp = await makeTempDirectory();
    ipfs = await createEmbeddedIpfs({ directory: temp.path });
    routing = await startRoutingServer();
    pinning = await startPinningServer(TOKEN);
    seed = await deriveTestIpnsSeed("alice.eth");
    root = await ipfs.addDirectory(recordTree());
    name = await ipfs.publishName(seed, root);
  });
  after(async () => {
    await routing.close();
    await pinning.close();
    await ipfs.stop();
    await temp.remove();
  });

  it("PUT /routing/v1/ipns/<name>: the server validates and stores the signed record", async () => {
    const record = (await ipfs.getIpnsRecord(name)) as Uint8Array;
    await putIpnsRecord({ routingUrl: routing.url, name, record });
    assert.deepEqual(routing.records.get(name), record);
    const served = await fetch(`${routing.url}/routing/v1/ipns/${name}`);
    assert.equal(
      unmarshalIPNSRecord(new Uint8Array(await served.arrayBuffer())).value,
      `/ipfs/${root}`,
    );

    // A newer publish goes through; the old record is then refused (a lower sequence).
    const newer = await ipfs.updateDirectory(root, { "extra.json": "{}" });
    await ipfs.publishName(seed, newer);
    await putIpnsRecord({
      routingUrl: routing.url,
      name,
      record: (await ipfs.getIpnsRecord(name)) as Uint8Array,
    });
    // Delegated Routing V1 answers an invalid record with 400; a lower or equal sequence is one.
    await assert.rejects(putIpnsRecord({ routingUrl: routing.url, name, record }), {
      name: "RemotePublishError",
      status: 400,
      message: `IPNS record: ${routing.url}/routing/v1/ipns/${name} answered HTTP 400 ({"error":"IPNS record sequence 1 is not above the stored sequence 2"})`,
    });
    await assert.rejects(
      putIpnsRecord({
        routingUrl: routing.url,
        name,
        record: (await ipfs.getIpnsRecord(name)) as Uint8Array,
      }),
      {
        name: "RemotePublishError",
        message: `IPNS record: ${routing.url}/routing/v1/ipns/${name} answered HTTP 400 ({"error":"IPNS record sequence 2 is not above the stored sequence 2"})`,
      },
    );
  });

  it("a record whose signature does not cover its bytes is refused by the server", async () => {
    const record = new Uint8Array((await ipfs.getIpnsRecord(name)) as Uint8Array);
    const at = Buffer.from(record).indexOf(Buffer.from("/ipfs/")) + 8;
    record[at] = (record[at] as number) ^ 1;
    await assert.rejects(
      putIpnsRecord({ routingUrl: routing.url, name, record }),
      (error: Error) => {
        assert.equal(error.name, "RemotePublishError");
        assert.match(error.message, /answered HTTP 400 \(\{"error":"invalid IPNS record: /);
        return true;
      },
    );
  });

  it("the tree as a CAR to the pinning service, pinned by root (polled until pinned)", async () => {
    const { car, blocks } = await exportDagCar((cid) => ipfs.getBlock(cid), root);
    // root, .well-known, eth, alice, alice/text, alice/addr, alice/bob, bob/addr + 4 leaves.
    assert.equal(blocks, 12);
    const { requestid } = await pinCar({
      serviceUrl: pinning.url,
      token: TOKEN,
      root,
      car,
      name: "alice.eth",
      pollMs: 10,
    });
    assert.equal(pinning.pins.get(requestid)?.cid, root.toString());
    assert.equal(pinning.blocks.size, 12);
    for (const path of [
      ".well-known/eth/alice/text/avatar.json",
      ".well-known/eth/alice/bob/addr/60.json",
    ]) {
      const leaf = (await ipfs.resolvePath(root, path)) as CID;
      assert.deepEqual(pinning.blocks.get(leaf.toString()), await ipfs.getBlock(leaf));
    }
  });

  it("a wrong token, and a pin of a root whose blocks were not all uploaded, fail with the reason", async () => {
    const { car } = await exportDagCar((cid) => ipfs.getBlock(cid), root);
    await assert.rejects(
      pinCar({ serviceUrl: pinning.url, token: "wrong", root, car, name: "x" }),
      {
        name: "PinRejectedError",
        reason: "UNAUTHORIZED",
        status: 401,
        message: `CAR upload: ${pinning.url}/car answered HTTP 401 ({"error":{"reason":"UNAUTHORIZED"}})`,
      },
    );
    // Only the root block of a new tree: the service cannot pin it.
    const other = await ipfs.addDirectory({ "only/here.json": "{}" });
    const { writer, out } = CarWriter.create([other]);
    const chunks: Uint8Array[] = [];
    const collected = (async () => {
      for await (const chunk of out) chunks.push(chunk);
    })();
    await writer.put({ cid: other, bytes: (await ipfs.getBlock(other)) as Uint8Array });
    await writer.close();
    await collected;
    await assert.rejects(
      pinCar({
        serviceUrl: pinning.url,
        token: TOKEN,
        root: other,
        car: new Uint8Array(Buffer.concat(chunks)),
        name: "partial",
        pollMs: 10,
      }),
      {
        name: "PinRejectedError",
        reason: `blocks not uploaded: ${await ipfs.resolvePath(other, "only")}`,
        message: `pin request: ${pinning.url}/ failed to pin ${other} (blocks not uploaded: ${await ipfs.resolvePath(other, "only")})`,
      },
    );
  });
});

// A name's certificate chains (the CA's `org.ensgate.ca.chain`, the owner's `org.ensgate.tls.chain`),
// verified records decoded with @peculiar/x509 through lib/certs' provider-free readers: names,
// validity, issuer, and whether the end-entity's key matches the TLSA pins the name publishes.
// Loaded only when a name has a chain.
import {
  certificateCoversName,
  certificateDnsNames,
  computeTlsaSpkiSha256,
  parsePemChain,
} from "../../lib/certs/pemChain.ts";
import { describeError } from "../../lib/index.ts";
import { h } from "./dom.ts";
import type { RecordOutcome } from "./verifiedRead.ts";

type Verified = RecordOutcome & { status: "verified" };

export async function renderCertificates(
  section: HTMLElement,
  name: string,
  chains: [string, Verified][],
  outcomes: Map<string, RecordOutcome>,
): Promise<void> {
  section.append(h("h3", {}, "Certificates"));
  // The TLSA pins the name publishes: the CA's record and the owner's DNS TLSA RRset.
  const pins: [string, string][] = [];
  const caPin = outcomes.get("text/org.ensgate.ca.tlsa");
  if (caPin?.status === "verified") pins.push(["text/org.ensgate.ca.tlsa", caPin.record.value]);
  const dnsTlsa = outcomes.get(`dns _443._tcp.${name} TLSA`);
  if (dnsTlsa?.status === "verified")
    for (const line of dnsTlsa.record.value.split("\n")) {
      // Zone lines: `_443._tcp.<name>. 300 IN TLSA 3 1 1 <hex>`; the pin is the RDATA.
      const rdata = /\bTLSA\s+(.+)$/i.exec(line.trim())?.[1];
      if (rdata) pins.push([`dns _443._tcp.${name} TLSA`, rdata.replace(/\s+/g, " ")]);
    }
  for (const [label, outcome] of chains) {
    const block = h("div", { class: "record", "data-chain": label }, h("h4", {}, label));
    section.append(block);
    let certificates: ReturnType<typeof parsePemChain>;
    try {
      certificates = parsePemChain(outcome.record.value);
    } catch (error) {
      block.append(h("p", { class: "error" }, `not a certificate chain: ${describeError(error)}`));
      continue;
    }
    const now = new Date();
    certificates.forEach((certificate, index) => {
      const valid = certificate.notBefore <= now && now <= certificate.notAfter;
      block.append(
        h(
          "div",
          { class: "meta", "data-certificate": String(index) },
          h(
            "p",
            {},
            `${index === 0 ? "end entity" : index === certificates.length - 1 ? "root" : "intermediate"}: ${certificate.subject}`,
          ),
          h("p", {}, `issued by ${certificate.issuer}`),
          h(
            "p",
            {},
            `valid ${certificate.notBefore.toISOString()} to ${certificate.notAfter.toISOString()} (${valid ? "now valid" : "not valid now"})`,
          ),
          index === 0
            ? h(
                "p",
                {},
                `names: ${certificateDnsNames(certificate).join(", ") || "none"}; covers ${name}: ${certificateCoversName(certificate, name) ? "yes" : "no"}`,
              )
            : undefined,
        ),
      );
    });
    const [endEntity] = certificates;
    if (endEntity) {
      const spki = computeTlsaSpkiSha256(endEntity);
      const matches = pins.filter(
        ([, pin]) => /^3 1 1 /.test(pin) && pin.slice(6).toLowerCase() === spki,
      );
      block.append(
        h(
          "p",
          {
            class: matches.length > 0 ? "status-verified" : "status-rejected",
            "data-tlsa": matches.length > 0 ? "match" : "none",
          },
          matches.length > 0
            ? `TLSA 3 1 1 matches the end entity's key (${matches.map(([where]) => where).join(", ")})`
            : `no published TLSA 3 1 1 pin matches the end entity's key (${spki})`,
        ),
      );
    }
    block.append(h("p", { class: "meta" }, "Transparency log inclusion is not shown yet."));
  }
}

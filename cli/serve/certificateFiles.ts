// The certificate `ensgate serve` presents, read from its chain and key files, and picked up again
// when they change on disk (a renewal replacing them, ideally by rename): the folders are watched
// (fs.watch), with a periodic stat as a fallback for file systems that do not report changes. A
// new pair that does not load (unparsable, key not matching) keeps the current one.
import { X509Certificate } from "node:crypto";
import { type FSWatcher, readFileSync, statSync, watch } from "node:fs";
import { basename, dirname } from "node:path";
import tls from "node:tls";
import { describeError } from "../../lib/index.ts";
import { CliError } from "../errors.ts";

/** A loaded certificate: the TLS context and what identifies it. */
export type LoadedCertificate = {
  context: tls.SecureContext;
  /** PEM key and chain, as `setSecureContext` takes them. */
  key: string;
  cert: string;
  /** The leaf certificate. */
  leaf: X509Certificate;
};

/** Loads the chain and key files; throws a one-line CliError when they do not make a usable pair. */
export function loadCertificate(certPath: string, keyPath: string): LoadedCertificate {
  let cert: string;
  let key: string;
  try {
    cert = readFileSync(certPath, "utf8");
    key = readFileSync(keyPath, "utf8");
  } catch (error) {
    throw new CliError(`cannot read the certificate files: ${describeError(error)}`);
  }
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch (error) {
    throw new CliError(`${certPath} holds no PEM certificate (${describeError(error)})`);
  }
  let context: tls.SecureContext;
  try {
    // OpenSSL checks that the key is the certificate's ("key values mismatch").
    context = tls.createSecureContext({ cert, key });
  } catch (error) {
    throw new CliError(
      `${keyPath} and ${certPath} do not make a certificate and its key (${describeError(error)})`,
    );
  }
  return { context, key, cert, leaf };
}

/** The fields of a file that change when it is rewritten or replaced. */
const fingerprint = (path: string): string => {
  try {
    const info = statSync(path);
    return `${info.ino}:${info.size}:${info.mtimeMs}`;
  } catch {
    return "missing";
  }
};

/**
 * Calls `onLoad` with the new certificate each time the files change and load; `onError` with one
 * line when they change but do not load (the current certificate stays). Returns a stop function.
 */
export function watchCertificate(options: {
  certPath: string;
  keyPath: string;
  onLoad: (certificate: LoadedCertificate) => void;
  onError: (message: string) => void;
  /** The stat fallback's interval (default 2000 ms). */
  intervalMs?: number;
  /** How long to wait after a change for the other file of the pair (default 100 ms). */
  settleMs?: number;
}): () => void {
  const { certPath, keyPath, onLoad, onError } = options;
  const settleMs = options.settleMs ?? 100;
  const current = () => `${fingerprint(certPath)}|${fingerprint(keyPath)}`;
  let seen = current();
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    timer = undefined;
    const now = current();
    if (now === seen) return;
    seen = now;
    try {
      onLoad(loadCertificate(certPath, keyPath));
    } catch (error) {
      onError(`${describeError(error)}; still serving the previous certificate`);
    }
  };
  const soon = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, settleMs);
  };
  const names = new Set([basename(certPath), basename(keyPath)]);
  const watchers: FSWatcher[] = [];
  // A rename replaces the file's inode, so the folder is watched, not the file.
  for (const folder of new Set([dirname(certPath), dirname(keyPath)])) {
    try {
      const watcher = watch(folder, { persistent: false }, (_event, file) => {
        if (file === null || names.has(file.toString())) soon();
      });
      watcher.on("error", () => {});
      watchers.push(watcher);
    } catch {
      // no fs.watch here: the periodic check below still sees the change
    }
  }
  const interval = setInterval(check, options.intervalMs ?? 2000);
  interval.unref();
  return () => {
    clearInterval(interval);
    if (timer) clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}

// The web app's files as a fetch handler (docs/webapp.md): `/` and `/index.html` (the page),
// `/app-config.json` (the deployment's settings, no secrets), `/assets/*` (hashed by the bundler,
// so cached for a year). Shared by the Node entry and `ensgate dev`; Workers serve the same
// folder as static assets instead (gateway/worker/wrangler.toml).

/** One file of the app: its bytes and content type. */
export type WebAppFile = { body: Uint8Array; contentType: string };

/** The app's files by URL path (`/index.html`, `/assets/index-3f2a.js`, ...). */
export type WebAppFiles = ReadonlyMap<string, WebAppFile>;

/** Answers a request for the app, or undefined when `path` is not one of its files. */
export type WebAppHandler = (
  request: Request,
  path: string,
) => Response | Promise<Response> | undefined;

/** Hashed assets never change under their name; the page and the config are revalidated. */
const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

/**
 * A handler serving `files`, plus `/app-config.json` from `appConfig` when given (it wins over a
 * file of that name: the running gateway knows its own deployment). Only GET and HEAD.
 */
export function createWebAppHandler(options: {
  files: WebAppFiles;
  appConfig?: (() => unknown) | undefined;
}): WebAppHandler {
  const { files, appConfig } = options;
  return (request, path) => {
    if (request.method !== "GET" && request.method !== "HEAD") return undefined;
    const head = request.method === "HEAD";
    if (path === "/app-config.json" && appConfig) {
      const config = appConfig();
      if (config !== undefined)
        return new Response(head ? null : JSON.stringify(config), {
          headers: {
            "content-type": "application/json; charset=utf-8",
            "cache-control": REVALIDATE,
            "access-control-allow-origin": "*",
          },
        });
    }
    const file = files.get(path === "/" ? "/index.html" : path);
    if (!file) return undefined;
    return new Response(head ? null : (file.body as Uint8Array<ArrayBuffer>), {
      headers: {
        "content-type": file.contentType,
        "content-length": String(file.body.byteLength),
        "cache-control": path.startsWith("/assets/") ? IMMUTABLE : REVALIDATE,
        "x-content-type-options": "nosniff",
      },
    });
  };
}

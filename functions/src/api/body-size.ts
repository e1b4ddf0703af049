/**
 * @module body-size
 * Refuses request bodies over the size limit. A body announced by Content-Length is checked
 * from the header alone, so the handler can then read it through @hono/node-server's fast path
 * (straight from the socket); Hono's bodyLimit, which must stream the body through a web
 * ReadableStream to count it, is left for bodies sent in chunks without a length. On a replica
 * at saturation the web stream cost more CPU than the rest of the request outside the model.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** `onTooLarge` throws the error to answer with. */
export function bodySizeLimit(maxBytes: number, onTooLarge: () => never): MiddlewareHandler {
  const streamed = bodyLimit({ maxSize: maxBytes, onError: onTooLarge });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > maxBytes) onTooLarge();
      return next();
    }
    return streamed(c, next);
  };
}

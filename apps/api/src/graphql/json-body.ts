// JSON body parsing for POST /graphql. The app has no global body parser (the ingest route streams its own
// body), so this reads JSON with the same reader and the same limit as uploads (gzip accepted).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from '../ingest/body-reader.js';

type Next = (error?: unknown) => void;

export function graphqlJsonBody(limit: number) {
  return async (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: Next): Promise<void> => {
    const type = req.headers['content-type'] ?? '';
    if (req.method !== 'POST' || !/^application\/(json|graphql-response\+json)\b/i.test(type)) return next();
    const length = req.headers['content-length'];
    try {
      const bytes = await readBody(req, {
        contentEncoding: req.headers['content-encoding'],
        contentLength: length === undefined ? undefined : Number(length),
        limit,
      });
      req.body = bytes.length === 0 ? {} : JSON.parse(bytes.toString('utf8'));
      next();
    } catch (error) {
      req.resume();
      const tooLarge = error instanceof BodyTooLargeError;
      const message = tooLarge ? error.publicMessage : `the body is not valid JSON: ${(error as Error).message}`;
      res.statusCode = tooLarge ? 413 : 400;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      if (tooLarge) res.setHeader('Connection', 'close');
      res.end(JSON.stringify({ errors: [{ message, extensions: { code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST' } }] }));
    }
  };
}

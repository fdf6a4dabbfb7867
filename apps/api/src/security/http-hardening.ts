// HTTP hardening applied to every route before Nest: security headers (helmet) with a CSP the dashboard passes
// (its Vite build loads only same-origin scripts; style attributes and bundled data: fonts are allowed), no X-Powered-By, and a request timeout.
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { sendError } from '../errors/error-body.js';

type Next = (error?: unknown) => void;

export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        // Style attributes: React's `style={…}` (bars, swatches) and the bundled GraphiQL/Cytoscape set inline styles;
        // they cannot run code, and scripts stay same-origin only.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        // GraphiQL bundles its icon fonts as data: URLs (no request leaves the server).
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    // Same-origin only: no page of another site may read or embed the API's answers.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

/**
 * Every request gets an answer within `ms`: 503 with a JSON body when nothing was sent yet, otherwise the
 * connection is cut (a half-sent streamed answer cannot change its status).
 */
export function requestTimeout(ms: number) {
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    const timer = setTimeout(() => {
      if (res.writableEnded) return;
      if (!res.headersSent) {
        res.setHeader('Connection', 'close');
        sendError(req, res, 503, `the request took longer than ${ms} ms`, 'SERVICE_UNAVAILABLE');
      } else {
        res.destroy();
      }
      req.resume();
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}

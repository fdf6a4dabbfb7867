// NETPOL_LOG_FORMAT=json: every log line is one JSON object (pino): level, time, msg, context, and the request id of
// the request being served. The default stays Nest's text lines, which a person starting the server reads.
// (nestjs-pino is not used: its releases for Nest 12 require Node 22, and the ones for Node 20 stop at Nest 11.)
import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { currentRequestId, type RequestLog } from './request-context.js';

export type LogFormat = 'text' | 'json';

export class JsonLogger implements LoggerService {
  private readonly logger: Logger;

  constructor(destination?: NodeJS.WritableStream) {
    this.logger = pino(
      {
        base: { pid: process.pid, service: 'netpol-atlas' },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        mixin: () => {
          const requestId = currentRequestId();
          return requestId ? { requestId } : {};
        },
      },
      destination ?? pino.destination({ fd: 1, sync: true }),
    );
  }

  log(message: unknown, context?: string): void {
    this.logger.info(fields(context), text(message));
  }

  error(message: unknown, stackOrContext?: string, context?: string): void {
    // Nest passes (message, stack, context) or (message, context).
    const [stack, ctx] = context === undefined ? [undefined, stackOrContext] : [stackOrContext, context];
    this.logger.error({ ...fields(ctx), ...(stack ? { stack } : {}) }, text(message));
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn(fields(context), text(message));
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug(fields(context), text(message));
  }

  verbose(message: unknown, context?: string): void {
    this.logger.trace(fields(context), text(message));
  }

  /** One access line per request. */
  request(record: RequestLog): void {
    this.logger.info({ context: 'HTTP', ...record }, 'request');
  }
}

function fields(context: string | undefined): Record<string, string> {
  return context ? { context } : {};
}

function text(message: unknown): string {
  return typeof message === 'string' ? message : message instanceof Error ? message.message : JSON.stringify(message);
}

import { Controller, HttpException, HttpStatus, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { ErrorSchema, IngestResultSchema } from '../openapi/rest-schemas.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BodyTooLargeError, CorruptGzipError, streamBody, UnsupportedEncodingError } from './body-reader.js';
import { Requires } from '../auth/permission.guard.js';
import { uploadContentTypeProblem, mediaType } from '../security/write-content-type.js';
import { checkIngestArguments } from './ingest-arguments.js';
import { invalidEncodingIssue } from '@netpol-atlas/engine';
import { IngestRejectedError, issueBody } from './ingest-errors.js';
import { IngestService, type IngestResult } from './ingest.service.js';
import { ParseBudgetExceededError, parseBudgetMb, parseInline, parseInWorker, PARSE_IN_WORKER_FROM } from './parse-in-worker.js';

/** File name reported in the issues of an uploaded body. */
export const REQUEST_BODY_FILE = 'request-body';

function fail(status: number, message: string, extra: Record<string, unknown> = {}): never {
  throw new HttpException({ statusCode: status, error: HttpStatus[status], message, ...extra }, status);
}

@ApiTags('snapshots')
@Controller('api/v1/clusters')
export class IngestController {
  constructor(
    private readonly ingest: IngestService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Upload a snapshot: YAML (multi-document or a List) or JSON (`kubectl get … -o json`), optionally gzip.
   * 201 → the new snapshot; 400 unparseable, 422 invalid (with `issues`), 413 over NETPOL_BODY_LIMIT, 415 bad encoding.
   */
  @Post(':cluster/snapshots')
  @Requires('ingest')
  @ApiOperation({ summary: 'Upload a snapshot of a cluster (created on first use); every upload is a new snapshot' })
  @ApiParam({ name: 'cluster', description: 'Cluster name, a DNS-1123 label' })
  @ApiQuery({ name: 'capturedAt', required: false, description: 'RFC 3339 capture time (default: the upload time)' })
  @ApiQuery({
    name: 'cni',
    required: false,
    description:
      "The CNI `netpol collect` detected (a profile name): becomes the cluster's CNI unless a user set one (audited as cluster.cni). An ordinary upload leaves the cluster's CNI as it is.",
  })
  @ApiHeader({ name: 'Content-Encoding', required: false, description: 'gzip (inflated as a stream, stopped at the limit)' })
  @ApiConsumes('application/json', 'application/yaml', 'text/yaml', 'application/gzip')
  @ApiBody({ description: '`kubectl get … -o json` output, or YAML (multi-document or a List)', schema: { type: 'string' } })
  @ApiCreatedResponse({ type: IngestResultSchema })
  @ApiBadRequestResponse({ type: ErrorSchema, description: 'Unparseable body (issues), bad cluster name or capturedAt, corrupt gzip.' })
  @ApiUnprocessableEntityResponse({ type: ErrorSchema, description: 'Parses but is invalid (issues with field paths); nothing written.' })
  @ApiPayloadTooLargeResponse({ type: ErrorSchema, description: 'Larger than NETPOL_BODY_LIMIT after decompression, or more objects than the engine allows (MAX_OBJECTS, with an OBJECT_LIMIT issue).' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorSchema, description: 'A Content-Encoding other than gzip.' })
  async upload(
    @Param('cluster') cluster: string,
    @Query('capturedAt') capturedAtText: string | undefined,
    @Query('cni') cni: unknown,
    @Req() req: IncomingMessage,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<IngestResult> {
    // Before anything else: a cross-site form or text/plain post is refused unread (415).
    const typeProblem = uploadContentTypeProblem(req.headers['content-type']);
    if (typeProblem) {
      req.resume();
      fail(415, typeProblem);
    }
    let checked;
    try {
      // An unencoded '+' of a UTC offset arrives as a space (form encoding); read it back as '+'.
      checked = checkIngestArguments({ cluster, cni, capturedAt: capturedAtText === undefined ? undefined : String(capturedAtText).replace(/ (\d{2}:\d{2})$/, '+$1') });
    } catch (error) {
      if (error instanceof IngestRejectedError) req.resume();
      throw this.restError(error);
    }
    const started = performance.now();
    const length = Number(req.headers['content-length']);
    const compressed = Boolean(req.headers['content-encoding']) || mediaType(req.headers['content-type']).endsWith('gzip');
    // Large (or of unknown inflated size): parsed in a worker thread with a memory budget, off the event loop.
    const upload =
      compressed || !(length < PARSE_IN_WORKER_FROM)
        ? parseInWorker(REQUEST_BODY_FILE, this.config.uploadParseBudgetMb ?? parseBudgetMb(this.config.bodyLimit), this.config.uploadSplitAfterChars)
        : parseInline(REQUEST_BODY_FILE, this.config.uploadSplitAfterChars);
    try {
      await this.readRequestBody(req, res, (chunk) => upload.write(chunk));
    } catch (error) {
      upload.abort();
      throw error;
    }
    let parsed;
    try {
      parsed = await upload.end();
    } catch (error) {
      if (error instanceof ParseBudgetExceededError) fail(413, error.message, { budgetMb: error.budgetMb });
      throw error;
    }
    if (!parsed) {
      fail(400, 'the body is not valid UTF-8', { issues: [issueBody(invalidEncodingIssue(REQUEST_BODY_FILE))] });
    }
    try {
      return await this.ingest.ingestParsed({ ...checked, source: 'rest' }, parsed, performance.now() - started);
    } catch (error) {
      // The worker can also run out of its budget deriving the rows, after the content was accepted.
      if (error instanceof ParseBudgetExceededError) fail(413, error.message, { budgetMb: error.budgetMb });
      throw this.restError(error);
    }
  }

  /** A refused upload as its REST answer (status, message, located issues); anything else unchanged. */
  private restError(error: unknown): unknown {
    if (!(error instanceof IngestRejectedError)) return error;
    const issues = error.status === 403 || (error.issues.length === 0 && error.argument) ? {} : { issues: error.issues, ...(error.issuesOmitted > 0 ? { issuesOmitted: error.issuesOmitted } : {}) };
    // A bad argument is located by its name (`cluster`, `capturedAt`, `cni`), as GraphQL's `argument` extension.
    const located = error.status !== 403 && error.issues.length === 0 && error.argument ? { argument: error.argument } : {};
    return new HttpException({ statusCode: error.status, error: HttpStatus[error.status], message: error.message, ...located, ...issues }, error.status);
  }

  /** Streams the (inflated) body to `onChunk`, mapping the reader's failures to 413, 415 and 400. */
  private async readRequestBody(req: IncomingMessage, res: ServerResponse, onChunk: (chunk: Buffer) => void): Promise<void> {
    const length = req.headers['content-length'];
    try {
      await streamBody(
        req,
        {
          // application/gzip without a Content-Encoding is a gzip body all the same.
          contentEncoding: req.headers['content-encoding'] ?? (mediaType(req.headers['content-type']).endsWith('gzip') ? 'gzip' : undefined),
          contentLength: length === undefined ? undefined : Number(length),
          limit: this.config.bodyLimit,
        },
        onChunk,
      );
    } catch (error) {
      // The rest of the body is read and discarded (bounded memory), then the connection is closed.
      req.resume();
      if (error instanceof BodyTooLargeError) {
        res.setHeader('Connection', 'close');
        fail(413, error.publicMessage, {
          limit: error.limit,
        });
      }
      if (error instanceof UnsupportedEncodingError) fail(415, error.message);
      if (error instanceof CorruptGzipError) {
        fail(400, error.message, {
          issues: [{ code: 'SYNTAX', severity: 'error', message: error.message, file: REQUEST_BODY_FILE, document: 0, path: '' }],
        });
      }
      throw error;
    }
  }
}

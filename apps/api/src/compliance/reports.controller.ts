// REST downloads: the installation's public key, a report in each text format, and its evidence pack, each with a
// Content-Disposition file name.
import { Controller, Get, HttpException, HttpStatus, Param, Query, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { GraphQLError } from 'graphql';
import { AuditService } from '../audit/audit.service.js';
import { Public, Requires } from '../auth/permission.guard.js';
import { ErrorSchema } from '../openapi/rest-schemas.js';
import { attachment, reportDownloadName } from '../snapshots/download-name.js';
import type { StoredReportMeta } from './compliance.repository.js';
import { ReportsService } from './reports.service.js';
import { SigningKeyService } from './signing-key.service.js';
import { sendBody } from '../http/send-body.js';

const TYPES = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
} as const;
type ReportFormat = keyof typeof TYPES;

function httpError(status: number, message: string): HttpException {
  return new HttpException({ statusCode: status, error: HttpStatus[status], message }, status);
}

@ApiTags('compliance')
@Controller('api/v1')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly keys: SigningKeyService,
    private readonly audit: AuditService,
  ) {}

  @Public()
  @Get('signing-key')
  @ApiOperation({ summary: "The installation's Ed25519 public key (PEM) that signs report manifests" })
  @ApiProduces('application/x-pem-file')
  async signingKey(@Res() res: ServerResponse): Promise<void> {
    const key = await this.keys.key();
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/x-pem-file');
    res.setHeader('Content-Disposition', 'attachment; filename="netpol-atlas-signing-key.pem"');
    res.setHeader('X-Key-Fingerprint', `sha256:${key.fingerprint}`);
    res.end(key.publicKeyPem);
  }

  // Read like the rest of the analysis (GraphQL report(id) gives the same content); the evidence pack needs `report`.
  @Get('reports/:id')
  @ApiOperation({ summary: 'A stored report: json (the canonical JSON whose SHA-256 is reportSha256), md, html, csv (the evidence rows) or pdf (byte-deterministic)' })
  @ApiParam({ name: 'id', description: 'Report id (UUID)', format: 'uuid' })
  @ApiQuery({ name: 'format', required: false, enum: Object.keys(TYPES), description: 'Default json.' })
  @ApiProduces(...Object.values(TYPES))
  @ApiOkResponse({ description: 'The report, with a Content-Disposition file name.', schema: { type: 'string' } })
  @ApiBadRequestResponse({ type: ErrorSchema, description: 'The id is not a UUID, or an unknown format.' })
  @ApiNotFoundResponse({ type: ErrorSchema })
  async report(@Param('id') id: string, @Query('format') format: string | undefined, @Res() res: ServerResponse): Promise<void> {
    const chosen = (format ?? 'json') as ReportFormat;
    if (!Object.hasOwn(TYPES, chosen)) throw httpError(400, `format must be one of ${Object.keys(TYPES).join(', ')}`);
    const stored = await this.find(id);
    // Read (and but for the stored JSON, rendered) by a render thread (render-pool.ts), not on the event loop.
    const body = await this.reports.rendered(stored, chosen);
    await this.audit.record({ action: 'report.download', target: stored.id, details: { format: chosen, reportSha256: stored.reportSha256 } });
    res.statusCode = 200;
    res.setHeader('Content-Type', TYPES[chosen]);
    res.setHeader('Content-Disposition', attachment(reportDownloadName(stored, 'report', chosen)));
    await sendBody(res, body);
  }

  @Requires('report')
  @Get('reports/:id/evidence.zip')
  @ApiOperation({ summary: 'The evidence pack (deterministic zip): every format, snapshot, policies, connectivity, lint, intents, probe plan, SHA256SUMS, signed manifest' })
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'Check it offline with `npx netpol verify evidence.zip --key signing-key.pem`.' })
  @ApiNotFoundResponse({ type: ErrorSchema })
  async evidence(@Param('id') id: string, @Res() res: ServerResponse): Promise<void> {
    const stored = await this.find(id);
    const zip = await this.reports.evidencePack(stored);
    await this.audit.record({ action: 'report.evidence.download', target: stored.id, details: { reportSha256: stored.reportSha256, snapshotSha256: stored.snapshotSha256 } });
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', attachment(reportDownloadName(stored, 'evidence', 'zip')));
    await sendBody(res, zip);
  }

  private async find(id: string): Promise<StoredReportMeta> {
    let stored: StoredReportMeta | null;
    try {
      stored = await this.reports.findById(id);
    } catch (error) {
      if (error instanceof GraphQLError) throw httpError(400, error.message);
      throw error;
    }
    if (!stored) throw httpError(404, `report ${id} not found`);
    return stored;
  }
}

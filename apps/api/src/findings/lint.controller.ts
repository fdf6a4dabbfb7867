// REST download of a snapshot's lint findings (the dashboard's Findings page): txt, json or SARIF 2.1.0, as
// `netpol lint -o FORMAT` prints them, with a file name that says what the file is.
import { Controller, Get, HttpException, HttpStatus, Param, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { LINT_FORMATS, type LintFormat } from '@netpol-atlas/engine';
import { GraphQLError } from 'graphql';
import type { ServerResponse } from 'node:http';
import { ReportsService } from '../compliance/reports.service.js';
import { ErrorSchema } from '../openapi/rest-schemas.js';
import { attachment, snapshotDownloadName } from '../snapshots/download-name.js';
import { SnapshotsService } from '../snapshots/snapshots.service.js';
import { CNI_PROFILE_NOTE_HEADER } from '../analysis/cni-profile-answer.js';
import { sendBody } from '../http/send-body.js';

const CONTENT_TYPES: Record<LintFormat, string> = {
  txt: 'text/plain; charset=utf-8',
  json: 'application/json; charset=utf-8',
  sarif: 'application/sarif+json; charset=utf-8',
};

// The service speaks GraphQL errors; their codes map onto HTTP statuses.
const STATUS_OF_CODE: Record<string, number> = { BAD_USER_INPUT: 400, NOT_FOUND: 404, SNAPSHOT_NOT_ANALYSABLE: 422 };

function fail(status: number, message: string, extra: Record<string, unknown> = {}): never {
  throw new HttpException({ statusCode: status, error: HttpStatus[status], message, ...extra }, status);
}

@ApiTags('snapshots')
@Controller('api/v1/snapshots')
export class LintController {
  constructor(
    private readonly reports: ReportsService,
    private readonly snapshots: SnapshotsService,
  ) {}

  @Get(':id/lint')
  @ApiOperation({ summary: 'Lint findings of a snapshot (as `netpol lint -o FORMAT`): txt, json or SARIF 2.1.0' })
  @ApiParam({ name: 'id', description: 'Snapshot id (UUID)', format: 'uuid' })
  @ApiQuery({ name: 'format', required: false, enum: [...LINT_FORMATS], description: 'Default json.' })
  @ApiProduces(...Object.values(CONTENT_TYPES))
  @ApiOkResponse({ description: 'The findings, with a Content-Disposition file name.', schema: { type: 'string' } })
  @ApiBadRequestResponse({ type: ErrorSchema, description: 'The id is not a UUID, or an unknown format.' })
  @ApiNotFoundResponse({ type: ErrorSchema, description: 'No such snapshot.' })
  @ApiUnprocessableEntityResponse({ type: ErrorSchema, description: 'The engine cannot analyse the snapshot.' })
  async lint(@Param('id') id: string, @Query('format') formatText: string | undefined, @Res() res: ServerResponse): Promise<void> {
    const format = (formatText ?? 'json') as LintFormat;
    if (!LINT_FORMATS.includes(format)) fail(400, `format must be one of ${LINT_FORMATS.join(', ')}, got ${JSON.stringify(formatText)}`);
    let result;
    try {
      result = await this.reports.lintText(id, format);
    } catch (error) {
      if (error instanceof GraphQLError) {
        const code = String(error.extensions?.code ?? '');
        const status = STATUS_OF_CODE[code];
        if (status) fail(status, error.message, error.extensions?.issues ? { issues: error.extensions.issues } : {});
      }
      throw error;
    }
    const snapshot = await this.snapshots.findById(id);
    if (!snapshot) fail(404, `snapshot ${id} not found`);
    res.statusCode = 200;
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', attachment(snapshotDownloadName(snapshot, 'lint', format)));
    // The body keeps the CLI's exact format; the profile that produced the findings rides in a header.
    res.setHeader('X-Netpol-Cni-Profile', result.cniProfile);
    if (result.cniProfileNote) res.setHeader(CNI_PROFILE_NOTE_HEADER, result.cniProfileNote);
    await sendBody(res, result.text);
  }
}

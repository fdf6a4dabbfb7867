// REST: `GET /api/v1/diff?from=<id>&to=<id>&format=txt|json|csv|md` prints exactly what `netpol diff OLD NEW -o FORMAT`
// prints for the two snapshots' contents (np-guard's txt/csv/md byte for byte). Optional `labels=old,new` (as
// `--labels`) and `explain=true` (as `--explain`: every pair with its causes, then the object changes).
import { Controller, Get, HttpException, HttpStatus, Query, Res } from '@nestjs/common';
import { DIFF_FORMATS, formatDiff, formatExplainedDiff, type DiffFormat } from '@netpol-atlas/engine';
import type { ServerResponse } from 'node:http';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { SnapshotNotAnalysableError } from '../analysis/analysis.service.js';
import { clusterEngineOptions } from '../analysis/snapshot-lookup.js';
import { SnapshotsService } from '../snapshots/snapshots.service.js';
import { DiffService } from './diff.service.js';
import { attachment, diffDownloadName } from '../snapshots/download-name.js';
import { ErrorSchema } from '../openapi/rest-schemas.js';
import { sendBody } from '../http/send-body.js';

const CONTENT_TYPES: Record<DiffFormat, string> = {
  txt: 'text/plain; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

function fail(status: number, message: string, extra: Record<string, unknown> = {}): never {
  throw new HttpException({ statusCode: status, error: HttpStatus[status], message, ...extra }, status);
}

function parseLabels(text: string | undefined): readonly [string, string] | undefined {
  if (text === undefined) return undefined;
  const parts = String(text).split(',').map((part) => part.trim());
  if (parts.length !== 2 || parts.some((part) => part === '')) fail(400, `labels must be two non-empty labels separated by a comma, got ${JSON.stringify(text)}`);
  return [parts[0], parts[1]];
}

function parseFlag(name: string, text: string | undefined): boolean {
  if (text === undefined || text === 'false' || text === '0') return false;
  if (text === '' || text === 'true' || text === '1') return true;
  return fail(400, `${name} must be true or false, got ${JSON.stringify(text)}`);
}

@ApiTags('diff')
@Controller('api/v1/diff')
export class DiffController {
  constructor(
    private readonly snapshots: SnapshotsService,
    private readonly diffs: DiffService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Connectivity diff of two snapshots, as `netpol diff OLD NEW -o FORMAT` prints it' })
  @ApiQuery({ name: 'from', required: true, description: 'The old snapshot id (UUID)', schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'to', required: true, description: 'The new snapshot id (UUID)', schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'format', required: false, enum: [...DIFF_FORMATS], description: 'Default txt.' })
  @ApiQuery({ name: 'labels', required: false, description: 'Two labels for the sides, `old,new` (as `--labels`).' })
  @ApiQuery({ name: 'explain', required: false, enum: ['true', 'false'], description: 'Every pair with its causes, then the object changes (as `--explain`).' })
  @ApiProduces(...Object.values(CONTENT_TYPES))
  @ApiOkResponse({ description: 'The diff. Header X-Netpol-Cni-Profiles: the profiles of the two sides, `from to`.', schema: { type: 'string' } })
  @ApiBadRequestResponse({ type: ErrorSchema, description: 'from or to missing or not a UUID, an unknown format, bad labels or explain.' })
  @ApiNotFoundResponse({ type: ErrorSchema, description: 'No such snapshot.' })
  @ApiUnprocessableEntityResponse({ type: ErrorSchema, description: 'The engine cannot analyse a snapshot (with `issues`).' })
  async diff(
    @Query('from') from: string | undefined,
    @Query('to') to: string | undefined,
    @Query('format') formatText: string | undefined,
    @Query('labels') labelsText: string | undefined,
    @Query('explain') explainText: string | undefined,
    @Res() res: ServerResponse,
  ): Promise<void> {
    const format = (formatText ?? 'txt') as DiffFormat;
    if (!DIFF_FORMATS.includes(format)) fail(400, `format must be one of ${DIFF_FORMATS.join(', ')}, got ${JSON.stringify(formatText)}`);
    const labels = parseLabels(labelsText);
    const explain = parseFlag('explain', explainText);
    const fromSnapshot = await this.snapshotOf('from', from);
    const toSnapshot = await this.snapshotOf('to', to);
    const fromSide = { sha: fromSnapshot.contentSha256, options: clusterEngineOptions(fromSnapshot.cluster?.cni) };
    const toSide = { sha: toSnapshot.contentSha256, options: clusterEngineOptions(toSnapshot.cluster?.cni) };
    let text: string;
    let profiles: string;
    let notes: { from?: string; to?: string };
    try {
      const options = labels ? { labels } : {};
      text = explain
        ? formatExplainedDiff(await this.diffs.explainedDiff(fromSide, toSide), format, options)
        : formatDiff(await this.diffs.plainDiff(fromSide, toSide), format, options);
      const [fromProfile, toProfile] = [await this.diffs.cniProfile(fromSide), await this.diffs.cniProfile(toSide)];
      profiles = `${fromProfile.cniProfile} ${toProfile.cniProfile}`;
      notes = { from: fromProfile.cniProfileNote, to: toProfile.cniProfileNote };
    } catch (error) {
      if (error instanceof SnapshotNotAnalysableError) {
        fail(422, error.message, { issues: error.issues.map((i) => ({ code: i.code, severity: i.severity, message: i.message, path: i.path })) });
      }
      throw error;
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', attachment(diffDownloadName(fromSnapshot, toSnapshot, format)));
    // The profiles each side was analysed under, `from to` (the body keeps the CLI's exact format).
    res.setHeader('X-Netpol-Cni-Profiles', profiles);
    // Each side's cniProfileNote, only where the profile's name alone would mislead (a header per side: notes hold `;`).
    if (notes.from) res.setHeader('X-Netpol-From-Cni-Profile-Note', notes.from);
    if (notes.to) res.setHeader('X-Netpol-To-Cni-Profile-Note', notes.to);
    await sendBody(res, text);
  }

  /** 400 when missing or not a UUID, 404 when no such snapshot. */
  private async snapshotOf(name: 'from' | 'to', id: string | undefined) {
    if (id === undefined || id === '') fail(400, `the query parameter ${name} (a snapshot id) is required`);
    if (typeof id !== 'string' || !this.snapshots.isSnapshotId(id)) fail(400, `${name} must be a snapshot id (a UUID), got ${JSON.stringify(id)}`);
    const snapshot = await this.snapshots.findById(id);
    if (!snapshot) fail(404, `snapshot ${id} not found`);
    return snapshot;
  }
}

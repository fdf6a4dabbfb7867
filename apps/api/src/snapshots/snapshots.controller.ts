import { Controller, Get, HttpException, HttpStatus, Param, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ErrorSchema, SnapshotSchema } from '../openapi/rest-schemas.js';
import { attachment, snapshotDownloadName } from './download-name.js';
import { AuditService } from '../audit/audit.service.js';
import { toSnapshotJson } from './snapshot-views.js';
import { SnapshotsService } from './snapshots.service.js';
import { sendBody } from '../http/send-body.js';

@ApiTags('snapshots')
@ApiParam({ name: 'id', description: 'Snapshot id (UUID)', format: 'uuid' })
@ApiBadRequestResponse({ type: ErrorSchema, description: 'The id is not a UUID.' })
@ApiNotFoundResponse({ type: ErrorSchema, description: 'No such snapshot.' })
@Controller('api/v1/snapshots')
export class SnapshotsController {
  constructor(
    private readonly snapshots: SnapshotsService,
    private readonly audit: AuditService,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: 'One snapshot: cluster, capture time, source, content hash, counts' })
  @ApiOkResponse({ type: SnapshotSchema })
  async get(@Param('id') id: string) {
    return toSnapshotJson(await this.find(id));
  }

  /** The stored bytes, exactly as hashed: `sha256sum` of this body equals `contentSha256`. */
  @Get(':id/content')
  @ApiOperation({ summary: 'The stored bytes, exactly as hashed (sha256sum of the body = contentSha256)' })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'The JCS text of one JSON array of the projected objects.', schema: { type: 'array', items: { type: 'object' } } })
  async content(@Param('id') id: string, @Res() res: ServerResponse): Promise<void> {
    const snapshot = await this.find(id);
    const bytes = await this.snapshots.content(snapshot.contentSha256);
    if (!bytes) throw new Error(`content ${snapshot.contentSha256} of snapshot ${id} is missing`);
    // An evidence download: recorded before a byte is sent.
    await this.audit.record({ action: 'snapshot.content.download', target: snapshot.id, details: { contentSha256: snapshot.contentSha256 } });
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', attachment(snapshotDownloadName(snapshot, 'content', 'json')));
    res.setHeader('ETag', `"${snapshot.contentSha256}"`);
    res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(snapshot.contentSha256, 'hex').toString('base64')}:`);
    // private: an authenticated answer must not be kept by a shared cache.
    res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    await sendBody(res, bytes);
  }

  private async find(id: string) {
    if (!this.snapshots.isSnapshotId(id)) {
      throw new HttpException(
        { statusCode: 400, error: HttpStatus[400], message: `snapshot id must be a UUID, got ${JSON.stringify(id)}` },
        400,
      );
    }
    const snapshot = await this.snapshots.findById(id);
    if (!snapshot) {
      throw new HttpException({ statusCode: 404, error: HttpStatus[404], message: `snapshot ${id} not found` }, 404);
    }
    return snapshot;
  }
}

import { Controller, Get, HttpException, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/permission.guard.js';
import { AuditService } from './audit.service.js';

const MAX_PAGE = 1000;

@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The hash-chained audit log (admins), in order: `netpol audit verify` pages through it and checks every link. */
  @Get()
  @Requires('admin')
  @ApiOperation({ summary: 'Audit log entries after `after` (a sequence number), oldest first; admins only' })
  @ApiQuery({ name: 'after', required: false, description: 'Sequence number to continue after (default 0)' })
  @ApiQuery({ name: 'limit', required: false, description: `At most this many (1 to ${MAX_PAGE}, default ${MAX_PAGE})` })
  @ApiOkResponse({ description: '{ entries: [{ seq, entry, prevHash, hash }], next }' })
  async list(@Query('after') afterText?: string, @Query('limit') limitText?: string) {
    const after = afterText === undefined ? 0 : Number(afterText);
    const limit = limitText === undefined ? MAX_PAGE : Number(limitText);
    if (!Number.isSafeInteger(after) || after < 0) throw new HttpException({ statusCode: 400, message: 'after must be a sequence number ≥ 0' }, 400);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new HttpException({ statusCode: 400, message: `limit must be 1 to ${MAX_PAGE}` }, 400);
    const entries = await this.audit.page(after, limit);
    return { entries, next: entries.length === limit ? entries[entries.length - 1].seq : null };
  }
}

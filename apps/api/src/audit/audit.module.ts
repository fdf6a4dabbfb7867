import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditLogRepository } from './audit-log.repository.js';
import { AuditService } from './audit.service.js';

/** The hash-chained audit log: cross-cutting (ingest, tokens, report downloads write to it), so global. */
@Global()
@Module({ controllers: [AuditController], providers: [AuditLogRepository, AuditService], exports: [AuditService] })
export class AuditModule {}

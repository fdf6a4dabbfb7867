// The compliance feature (issue 10): lint, intents, reports as signed evidence, evidence packs, profiles. Its
// providers use the app's snapshot and analysis services, so AppModule lists them (one flat module, as the others).
import { ComplianceResolver, ReportControlResolver } from './compliance.resolver.js';
import { IntentsService } from './intents.service.js';
import { ProfilesService } from './profiles.service.js';
import { ReportsController } from './reports.controller.js';
import { ReportsService } from './reports.service.js';
import { SigningKeyService } from './signing-key.service.js';

export const COMPLIANCE_CONTROLLERS = [ReportsController];
export const COMPLIANCE_PROVIDERS = [SigningKeyService, IntentsService, ReportsService, ProfilesService, ComplianceResolver, ReportControlResolver];

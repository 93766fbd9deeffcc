import { templateVersionSchema, type TemplateVersion } from '#app/workflow/template/schema';
import { incomingMail } from './incoming-mail';
import { leaveRequest } from './leave-request';
import { overtimePaySlip } from './overtime-pay-slip';
import { overtimeReport } from './overtime-report';
import { overtimeRequest } from './overtime-request';
// Versions no longer current, as they were first published: data, frozen (catalog.test.ts
// holds their digests). Databases hold them as published, and documents started on them keep them.
import overtimePaySlipV1 from './published/overtime-pay-slip.v1.json';
import overtimeReportV1 from './published/overtime-report.v1.json';
import overtimeRequestV1 from './published/overtime-request.v1.json';

/**
 * The standard catalog shipped with the product: the newest version of each template, parsed
 * (defaults filled, Latin labels derived). A published version is never edited: a change is a
 * new version here, with the old one kept in `standardCatalogHistory`.
 */
export const standardCatalog: TemplateVersion[] = [
  overtimeRequest,
  overtimeReport,
  overtimePaySlip,
  leaveRequest,
  incomingMail,
].map((input) => templateVersionSchema.parse(input));

/**
 * Every version of the standard templates ever shipped, oldest first. Catalog sync
 * (`seedStandardCatalog`, run by `npm run db:seed` and the demo's start) publishes the ones a
 * database lacks, so an installation that has version 1 gets version 2 beside it; adopters
 * move to it as to any new version (the upgrade button, or the adopt-by deadline's job), and
 * documents already started keep the version they pinned.
 */
export const standardCatalogHistory: TemplateVersion[] = [
  ...[overtimeRequestV1, overtimeReportV1, overtimePaySlipV1].map((input) => templateVersionSchema.parse(input)),
  ...standardCatalog,
];

import { templateVersionSchema, type TemplateVersion } from '#app/workflow/template/schema';
import { incomingMail } from './incoming-mail';
import { leaveRequest } from './leave-request';
import { overtimePaySlip } from './overtime-pay-slip';
import { overtimeReport } from './overtime-report';
import { overtimeRequest } from './overtime-request';

/** The standard catalog shipped with the product, parsed (defaults filled, Latin labels derived). */
export const standardCatalog: TemplateVersion[] = [
  overtimeRequest,
  overtimeReport,
  overtimePaySlip,
  leaveRequest,
  incomingMail,
].map((input) => templateVersionSchema.parse(input));

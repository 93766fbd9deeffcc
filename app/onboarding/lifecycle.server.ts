// The tenant lifecycle as the routes use it. Routes import it through this server-only module
// so the browser build never sees the CSV decoders or the database layer.
export { checkStaffCsv, CSV_MAX_BYTES } from '#tenants/csv';
export { acceptInvitation, openInvitation } from '#tenants/invitations';
export { approveSignup, rejectSignup, reviewChecks } from '#tenants/review';
export { signupByToken, signupsWithStatus, startSignup } from '#tenants/signup';
export { importStaff, inviteOne, memberEmails, reinvite, setMemberActive, staffWithInvitations, updateMember } from '#tenants/staff';
export { deleteUnit, saveUnit, unitTree } from '#tenants/units';
export { addSubstitute, endSubstitute, removeSubstitute, substituteList } from '#tenants/substitutes';
export { removeHoliday, saveHoliday, setRequireMfa, updateSettings } from '#tenants/settings';
export { holidaysOfYear } from '#tenants/holidays';
export { exportTenant } from '#tenants/export';
export { deleteTenant, setTenantStatus } from '#tenants/offboard';

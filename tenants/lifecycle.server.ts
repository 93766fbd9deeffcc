// The tenant lifecycle as the routes use it. Routes import it through this server-only module
// so the browser build never sees the CSV decoders or the database layer.
export { checkStaffCsv, CSV_MAX_BYTES } from './csv';
export { acceptInvitation, openInvitation } from './invitations';
export { approveSignup, rejectSignup, reviewChecks } from './review';
export { signupByToken, signupsWithStatus, startSignup } from './signup';
export { importStaff, inviteOne, memberEmails, reinvite, setMemberActive, staffWithInvitations, updateMember } from './staff';
export { deleteUnit, saveUnit, unitTree } from './units';
export { addSubstitute, endSubstitute, removeSubstitute, substituteList } from './substitutes';
export { setRequireMfa, updateSettings } from './settings';
export { holidaysOfYear, removeHoliday, saveHoliday } from './holidays';
export { exportTenant } from './export';
export { deleteTenant, setTenantStatus } from './offboard';

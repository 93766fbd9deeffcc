// The server's verdict on a new password. Routes import it from here, a .server module, so the
// browser bundle of a page does not carry the dictionaries (its meter loads them on demand).
export { newPasswordProblem } from './password-strength';

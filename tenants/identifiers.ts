// The check digits live with the signup form's schema, which the browser runs too.
export * from '#app/onboarding/identifiers';

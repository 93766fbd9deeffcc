// The Content-Security-Policy nonce of the response being rendered (server.ts makes one per
// response): Remix's own inline scripts carry it, so the policy needs no 'unsafe-inline'. In the
// browser there is none to give (browsers hide it from the page), and none is needed.
import { createContext, useContext } from 'react';

const NonceContext = createContext<string | undefined>(undefined);

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}

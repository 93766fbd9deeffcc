import { request as httpRequest } from 'node:http';
import { DEMO_PASSWORD } from '#tenants/demo';

// A minimal cookie-keeping HTTP client for route tests: it sees exactly what a browser would.
export class Client {
  private cookies = new Map<string, string>();
  /** `localAddress`: the loopback address the client connects from (127.0.0.2, …), to be another client address. */
  constructor(
    private readonly base: string,
    private readonly localAddress?: string,
  ) {}

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, ...rest] = pair.split('=');
      const value = rest.join('=');
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()));
      if (!value || expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    const res = this.localAddress ? await requestFrom(this.localAddress, new URL(path, this.base), { ...init, headers }) : await fetch(new URL(path, this.base), { ...init, headers, redirect: 'manual' });
    this.remember(res);
    return res;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { method: 'POST', body: new URLSearchParams(form), headers: { origin: this.base, ...headers } });
  }

  async signIn(email: string, password: string): Promise<Response> {
    return this.post('/login', { email, password });
  }
}

/** A client signed in as `email` (the demo password by default); throws if the sign-in does not redirect. */
export async function signedIn(base: string, email: string, password = DEMO_PASSWORD): Promise<Client> {
  const client = new Client(base);
  const res = await client.signIn(email, password);
  if (res.status !== 302) throw new Error(`signing in as ${email} answered ${res.status}`);
  return client;
}

/** One request over node:http from a given local address (fetch cannot choose it). */
async function requestFrom(localAddress: string, url: URL, init: RequestInit & { headers: Headers }): Promise<Response> {
  const body = init.body === undefined || init.body === null ? undefined : Buffer.from(await new Response(init.body as BodyInit).arrayBuffer());
  const headers = Object.fromEntries(init.headers);
  if (body) {
    headers['content-length'] = String(body.length);
    if (init.body instanceof URLSearchParams) headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) for (const v of Array.isArray(value) ? value : [value ?? '']) out.append(name, v);
        const status = res.statusCode ?? 500;
        resolve(new Response([204, 304].includes(status) ? null : Buffer.concat(chunks), { status, headers: out }));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

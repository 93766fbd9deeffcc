import { test } from 'vitest';
import { startApp } from '#tests/support/server';
import { signedIn } from '#tests/support/http';
test('timing', async () => {
  for (let i = 0; i < 4; i++) {
    const app = await startApp();
    const c = await signedIn(app.url, 'nikola.petrovic@surdulica.test');
    await new Promise((r) => setTimeout(r, 1500));
    await app.stop();
  }
}, 120000);

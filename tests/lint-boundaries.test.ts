import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function violations(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('server-only import boundary', () => {
  it('refuses db/, jobs/ and tenants/ in modules that reach the browser', async () => {
    expect(await violations("import { users } from '#db/schema';\nexport const x = users;\n", 'app/ui/widget.tsx')).toHaveLength(1);
    expect(await violations("import { seedDemo } from '../../tenants/demo';\nexport const x = seedDemo;\n", 'app/workflow/engine.ts')).toHaveLength(1);
  });

  it('allows them in *.server.ts modules and route modules', async () => {
    expect(await violations("import { users } from '#db/schema';\nexport const x = users;\n", 'app/auth/thing.server.ts')).toEqual([]);
    expect(await violations("import { users } from '#db/schema';\nexport const x = users;\n", 'app/routes/t.$tenant.inbox.tsx')).toEqual([]);
  });
});

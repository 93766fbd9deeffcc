// The framework floor for `npm run bench`: the inbox's SQL run and its rows rendered by a plain
// Remix route — no session, tenancy or i18n. It exists only when the server runs with
// BENCH_ROUTES=1 (see app/bench/floor.server.ts); otherwise it answers 404 like any unknown address.
import { useLoaderData } from '@remix-run/react';
import { benchFloorRows, benchRoutesEnabled } from '../bench/floor.server';

export async function loader() {
  if (!benchRoutesEnabled()) throw new Response('Not Found', { status: 404 });
  return { rows: await benchFloorRows() };
}

export default function BenchFloor() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <main id="main">
      <h1>Inbox</h1>
      <table className="data">
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={j}>{cell === null ? '—' : String(cell)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}

// The inbox's rows rendered as they come: what a plain Remix page costs, with no session,
// tenancy or i18n.
import { useLoaderData } from '@remix-run/react';
import { inboxRows } from '../inbox.server';

export async function loader() {
  return { rows: await inboxRows() };
}

export default function Floor() {
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

import { ErrorPage } from '../ui/error-page';
import { Main } from '../ui/page';

export async function loader() {
  throw new Response('Not Found', { status: 404 });
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return (
    <Main>
      <ErrorPage />
    </Main>
  );
}

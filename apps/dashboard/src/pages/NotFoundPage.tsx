import { PageHeading } from '../components/PageHeading.js';
import { Link } from '../router/Link.js';
import { paths } from '../routes.js';

export function NotFoundPage({ pathname }: { pathname: string }) {
  return (
    <>
      <PageHeading>Page not found</PageHeading>
      <p>
        There is no page at <code>{pathname}</code>. <Link to={paths.clusters()}>Back to the inventory</Link>.
      </p>
    </>
  );
}

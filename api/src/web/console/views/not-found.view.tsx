/** A console path that does not exist. */
export function NotFoundView(_props: Record<string, unknown>) {
  return (
    <section>
      <h1>Not found</h1>
      <p>This page does not exist. <a href="/">Back to system health</a>.</p>
    </section>
  );
}

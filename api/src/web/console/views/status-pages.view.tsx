export function StatusPagesView(_props: Record<string, unknown>) { return <p>StatusPagesView is being built.</p>; }

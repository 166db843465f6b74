export function StatusPageView(_props: Record<string, unknown>) { return <p>StatusPageView is being built.</p>; }

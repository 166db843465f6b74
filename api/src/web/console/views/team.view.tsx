export function TeamView(_props: Record<string, unknown>) { return <p>TeamView is being built.</p>; }

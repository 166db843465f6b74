export function HealthView(_props: Record<string, unknown>) { return <p>HealthView is being built.</p>; }

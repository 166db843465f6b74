export function IncidentView(_props: Record<string, unknown>) { return <p>IncidentView is being built.</p>; }

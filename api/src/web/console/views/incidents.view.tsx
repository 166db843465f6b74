export function IncidentsView(_props: Record<string, unknown>) { return <p>IncidentsView is being built.</p>; }

export function MonitorView(_props: Record<string, unknown>) { return <p>MonitorView is being built.</p>; }

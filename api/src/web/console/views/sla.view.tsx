export function SlaView(_props: Record<string, unknown>) { return <p>SlaView is being built.</p>; }

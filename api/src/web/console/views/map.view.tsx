export function MapView(_props: Record<string, unknown>) { return <p>MapView is being built.</p>; }

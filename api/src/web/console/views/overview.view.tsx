export function OverviewView(_props: Record<string, unknown>) { return <p>OverviewView is being built.</p>; }

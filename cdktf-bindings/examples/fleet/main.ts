// Synthesizes the example fleet: `node dist/examples/fleet/main.js [outdir]` writes
// <outdir>/stacks/fleet/cdk.tf.json (default outdir: cdktf.out).
import { App } from 'cdktf';
import { FleetStack } from './fleet.stack';

const app = new App({ outdir: process.argv[2] ?? 'cdktf.out' });
new FleetStack(app, 'fleet');
app.synth();

// `npm run web`: builds the page and serves it on localhost with the cross-origin isolation headers.
import { parseArgs } from 'node:util';
import { buildWeb, WEB_OUT_DIR } from './build.js';
import { serveWeb } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    // Serve as a plain static server would, to see the page's one-thread fallback.
    'no-isolation': { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${values.port}`);
await buildWeb();
const server = await serveWeb({ dir: WEB_OUT_DIR, port, isolated: !values['no-isolation'] });
console.log(`Serving the training page at ${server.url}${values['no-isolation'] ? ' (without cross-origin isolation: one thread)' : ''}`);
console.log('Press Ctrl+C to stop.');

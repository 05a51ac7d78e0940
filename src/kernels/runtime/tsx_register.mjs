// Preloaded (--import) into kernel threads started from TypeScript sources; see thread_entry.ts.
import { register } from 'tsx/esm/api';

register();

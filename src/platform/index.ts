// The host the code runs on. In Node this is node.ts; the web build resolves this module to browser.ts.
export { platform } from './node.js';

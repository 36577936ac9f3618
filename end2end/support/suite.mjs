// One server and one browser for a test file: started before its tests, stopped after.
import { before, after } from 'node:test';
import { startServer } from './server.mjs';
import { launch } from './browser.mjs';

/**
 * Returns an object whose `server` and `browser` are set once the file's tests start, and
 * `barrioByCode(code)`, a seeded barrio's summary from the server's API.
 */
export function serverAndBrowser() {
  const suite = {
    server: null,
    browser: null,
    async barrioByCode(code) {
      const list = await (await fetch(`${suite.server.url}/api/v1/barrios`)).json();
      return list.find((b) => b.code === code);
    },
  };
  before(async () => {
    suite.server = await startServer();
    suite.browser = await launch();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}

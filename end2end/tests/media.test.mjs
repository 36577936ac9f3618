// Issue 22 on a phone: a participant photographs and records on a mark's sheet with no
// signal, and both survive a reload; sent with the signal cut mid-upload, the photo resumes
// where it stopped; staff then see the photo and hear the note in the hotspot's gallery, put
// the photo in the report's annex and publish it after the check the page asks for, and the
// public page shows it. The photo that reaches IndexedDB was resized and re-encoded: no EXIF
// (GPS, phone model) left.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, signedInContext } from '../support/server.mjs';
import { waitForApp, waitForServiceWorker, collectPageErrors, artifacts, chooseCategory } from '../support/browser.mjs';
import { prepareWorkshop } from '../support/workshop.mjs';
import { keptMedia } from '../support/media.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  // A fake microphone that plays a tone, and no permission prompt.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** An APP1 segment with EXIF: the phone's make and a GPS latitude, as cameras write them. */
function exifSegment() {
  const tiff = Buffer.alloc(72);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  // IFD0 at 8: Make (ASCII, 10 bytes at 60) and the GPS IFD's offset (38); no next IFD.
  tiff.writeUInt16BE(2, 8);
  tiff.writeUInt16BE(0x010f, 10); tiff.writeUInt16BE(2, 12); tiff.writeUInt32BE(10, 14); tiff.writeUInt32BE(60, 18);
  tiff.writeUInt16BE(0x8825, 22); tiff.writeUInt16BE(4, 24); tiff.writeUInt32BE(1, 26); tiff.writeUInt32BE(38, 30);
  tiff.writeUInt32BE(0, 34);
  // GPS IFD at 38: GPSLatitudeRef = "N"; no next IFD.
  tiff.writeUInt16BE(1, 38);
  tiff.writeUInt16BE(0x0001, 40); tiff.writeUInt16BE(2, 42); tiff.writeUInt32BE(2, 44); tiff.write('N\0\0\0', 48, 'latin1');
  tiff.writeUInt32BE(0, 52);
  tiff.write('TestPhone\0', 60, 'latin1');
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** A camera-sized JPEG (3200×2400, noisy, so it is large) carrying EXIF, made by the browser. */
async function cameraJpeg(page) {
  const b64 = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 3200; c.height = 2400;
    const g = c.getContext('2d');
    const img = g.createImageData(3200, 2400);
    for (let i = 0; i < img.data.length; i += 4) {
      img.data[i] = (i * 7) % 251; img.data[i + 1] = Math.random() * 255; img.data[i + 2] = (i >> 9) % 255; img.data[i + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    const blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.9));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });
  const jpeg = Buffer.from(b64, 'base64');
  // Right after the SOI marker, where cameras put it.
  return Buffer.concat([jpeg.subarray(0, 2), exifSegment(), jpeg.subarray(2)]);
}

test('photo and voice note made offline on a mark survive a reload, resume after a cut, and staff see and hear them', async () => {
  const barrio = await (await fetch(`${server.url}/api/v1/barrios`)).json().then((l) => l.find((b) => b.code === 'pescaito'));
  const facilitator = await signedInContext(browser, server, { viewport: { width: 1280, height: 800 } });
  const fPage = await facilitator.newPage();
  const code = (await prepareWorkshop(fPage, server.url, barrio)).replace('-', '');

  const phone = await browser.newContext({ viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true });
  await phone.grantPermissions(['microphone'], { origin: server.url });
  const page = await phone.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${server.url}/unirse/${code}`);
  await page.waitForURL(new RegExp(`/barrio/${barrio.id}$`), { timeout: 30_000 });
  await page.waitForSelector('svg.map path.barrio-boundary');
  // The reload below is offline: the service worker must hold the app shell first.
  await waitForServiceWorker(page);
  const photo = await cameraJpeg(page);
  assert.ok(photo.includes(Buffer.from('TestPhone')), 'the test photo carries EXIF');

  // No signal: a mark, then its photo and a voice note.
  await phone.setOffline(true);
  await chooseCategory(page, 'hurto_personas');
  const box = await page.locator('svg.map').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('[data-testid=mark-sheet]');
  await page.click('[data-testid=more-details]');
  await page.locator('[data-testid=media-attach]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${artifacts}/media-buttons-phone.png` });
  await page.locator('[data-testid=photo-camera]').setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.waitForSelector('[data-testid=media-item][data-kind=photo]');
  await page.click('[data-testid=voice-record]');
  await page.waitForSelector('[data-testid=voice-stop]');
  await page.waitForFunction(() => /0:0[2-9]/.test(document.querySelector('[data-testid=voice-timer]')?.textContent ?? ''));
  await page.click('[data-testid=voice-stop]');
  await page.waitForSelector('[data-testid=media-item][data-kind=voice]');
  await page.locator('[data-testid=media-attach]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${artifacts}/media-sheet-phone.png` });
  assert.equal(await page.getAttribute('[data-testid=media-pending]', 'data-files'), '2');

  // Reloaded, still offline: both are there, kept on the device.
  await page.reload();
  await waitForApp(page);
  const kept = await keptMedia(page);
  assert.equal(kept.length, 2, JSON.stringify(kept));
  const keptPhoto = kept.find((k) => k.kind === 'photo');
  assert.deepEqual(keptPhoto.dims, [1600, 1200], 'resized to 1,600 px, aspect kept');
  assert.equal(keptPhoto.type, 'image/jpeg');
  assert.equal(keptPhoto.exif, false, 'no EXIF left in the kept photo');
  assert.ok(keptPhoto.bytes < photo.length, `${keptPhoto.bytes} B kept from ${photo.length} B`);
  const keptNote = kept.find((k) => k.kind === 'voice');
  assert.match(keptNote.type, /^audio\/webm/);
  assert.ok(keptNote.bytes > 0);
  await page.waitForSelector('[data-testid=media-pending][data-files="2"]');

  // Signal back, but the link drops on the photo's second chunk once: it resumes from there.
  const chunkPuts = [];
  let cutFile = null;
  await page.route('**/api/v1/media/*/chunks/*', async (route) => {
    const [file, , n] = new URL(route.request().url()).pathname.split('/').slice(-3);
    chunkPuts.push(`${file}/${n}`);
    if (n === '1' && !cutFile) {
      cutFile = file;
      return route.abort('internetdisconnected');
    }
    return route.continue();
  });
  await phone.setOffline(false);
  await page.waitForSelector('[data-testid=pending-count][data-pending="0"]', { timeout: 30_000 });
  // Leaving the page mid-upload would cut a chunk in flight too: wait until the files are sent.
  await page.waitForSelector('[data-testid=media-pending]', { state: 'detached', timeout: 90_000 });
  await page.goto(`${server.url}/envios`);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=media-queue][data-files="0"]', { timeout: 90_000 });
  await page.screenshot({ path: `${artifacts}/media-envios-phone.png` });
  assert.ok(cutFile, `the photo (over one chunk) was cut once: ${JSON.stringify(chunkPuts)}`);
  const sends = (n) => chunkPuts.filter((c) => c === `${cutFile}/${n}`).length;
  // After the cut only what was missing went: the first chunk once, the cut one again.
  assert.equal(sends(0), 1, JSON.stringify(chunkPuts));
  assert.equal(sends(1), 2, JSON.stringify(chunkPuts));
  assert.ok((await keptMedia(page)).every((k) => k.sent), 'each file has its receipt on the device');

  // Staff: the hotspot's gallery shows the photo and plays the note.
  const staff = await signedInContext(browser, server, { viewport: { width: 1280, height: 900 } });
  const sPage = await staff.newPage();
  errors.push(...collectPageErrors(sPage));
  await sPage.goto(`${server.url}/diagnostico/${barrio.id}`);
  await sPage.waitForSelector('[data-testid=generate-form] button[type=submit]');
  await sPage.click('[data-testid=generate-form] button[type=submit]');
  const hotspot = sPage.locator('.hotspot[data-category=hurto_personas]');
  await hotspot.waitFor();
  await hotspot.locator('summary').click();
  const thumb = hotspot.locator('[data-testid=gallery-photo] img');
  await thumb.waitFor();
  await sPage.waitForFunction((el) => el.complete && el.naturalWidth > 0, await thumb.elementHandle());
  const natural = await thumb.evaluate((img) => [img.naturalWidth, img.naturalHeight]);
  assert.ok(natural[0] <= 320 && natural[1] <= 320, `the gallery loads a thumbnail, not the photo: ${natural}`);
  await thumb.click();
  await sPage.waitForSelector('[data-testid=media-viewer] img');
  await sPage.screenshot({ path: `${artifacts}/media-staff-viewer.png` });
  await sPage.click('[data-testid=media-viewer]');
  const audio = hotspot.locator('[data-testid=gallery-voice] audio');
  await audio.waitFor();
  const played = await audio.evaluate(async (a) => {
    a.muted = true;
    await a.play();
    await new Promise((r) => setTimeout(r, 600));
    return { time: a.currentTime, error: a.error?.code ?? null };
  });
  assert.equal(played.error, null);
  assert.ok(played.time > 0, `the note plays: ${JSON.stringify(played)}`);

  // Staff choose the photo for the report's annex, and publish it only after the check for
  // faces, plates and house numbers.
  const item = hotspot.locator('[data-testid=gallery-photo]');
  await item.locator('[data-testid=media-in-report]').click();
  await sPage.waitForSelector('.hotspot[data-category=hurto_personas] [data-testid=gallery-photo][data-in-report=true]');
  await hotspot.locator('[data-testid=media-publish]').click();
  const check = hotspot.locator('[data-testid=publish-check]');
  await check.waitFor();
  assert.match(await check.textContent(), /cara.*placa.*número de una casa/s);
  await sPage.screenshot({ path: `${artifacts}/media-staff-gallery.png`, fullPage: true });
  await check.locator('[data-testid=publish-confirm]').click();
  await sPage.waitForSelector('.hotspot[data-category=hurto_personas] [data-testid=gallery-photo][data-published=true]');
  assert.equal(await hotspot.locator('[data-testid=gallery-voice] [data-testid=media-publish]').count(), 0, 'a voice note has no publish button');

  // The whole archive is one download away, and it is a ZIP.
  const zipHref = await sPage.getAttribute('[data-testid=download-zip]', 'href');
  const zip = await staff.request.get(`${server.url}${zipHref}`);
  assert.equal(zip.status(), 200);
  assert.equal((await zip.body()).subarray(0, 2).toString('latin1'), 'PK');

  // The printed report carries the chosen photo in its annex.
  await sPage.goto(`${server.url}/diagnostico/${barrio.id}/informe/1`);
  const annexed = sPage.locator('[data-testid=annex-photo] img');
  await annexed.waitFor();
  await sPage.waitForFunction((el) => el.complete && el.naturalWidth > 0, await annexed.elementHandle());
  await sPage.locator('[data-testid=photo-annex]').scrollIntoViewIfNeeded();
  await sPage.screenshot({ path: `${artifacts}/media-report-annex.png` });

  // Published, the barrio's public page shows the photo to anyone, with its month and no alias.
  const published = await server.fetch(`/api/v1/barrios/${barrio.id}/publications`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ diagnostico: 1 }),
  });
  assert.equal(published.status, 201, await published.text());
  const visitor = await browser.newContext({ viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true });
  const vPage = await visitor.newPage();
  errors.push(...collectPageErrors(vPage));
  await vPage.goto(`${server.url}/publico/${barrio.id}`);
  const publicPhoto = vPage.locator('[data-testid=public-photo] img');
  await publicPhoto.waitFor();
  // Below the map and the tables: loaded lazily, once scrolled to.
  await vPage.locator('[data-testid=public-photos]').scrollIntoViewIfNeeded();
  await vPage.waitForFunction((el) => el.complete && el.naturalWidth > 0, await publicPhoto.elementHandle());
  assert.equal(await vPage.locator('[data-testid=public-photo]').count(), 1, 'only the approved photo');
  await vPage.screenshot({ path: `${artifacts}/media-public-phone.png` });
  await visitor.close();
  assert.deepEqual(errors, []);
  await staff.close();
  await phone.close();
  await facilitator.close();
});

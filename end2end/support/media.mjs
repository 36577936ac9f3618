// What this device keeps of its photos and voice notes, read from IndexedDB as the app wrote it.

/** What IndexedDB holds for this device's photos and notes: kind, size, and the photo's first bytes. */
export async function keptMedia(page) {
  return page.evaluate(async () => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('cartobarrio-media'); r.onsuccess = () => ok(r.result); r.onerror = fail; });
    const rows = await new Promise((ok) => { const r = db.transaction('media').objectStore('media').getAll(); r.onsuccess = () => ok(r.result); });
    db.close();
    return Promise.all(rows.map(async (row) => {
      const bytes = new Uint8Array(await row.blob.arrayBuffer());
      const text = Array.from(bytes.subarray(0, 4096), (b) => String.fromCharCode(b)).join('');
      let dims = null;
      if (row.meta.offer.kind === 'photo') {
        const bitmap = await createImageBitmap(row.blob);
        dims = [bitmap.width, bitmap.height];
      }
      return { kind: row.meta.offer.kind, bytes: bytes.length, type: row.blob.type, exif: text.includes('Exif') || text.includes('TestPhone'), dims, sent: !!row.meta.receipt };
    }));
  });
}

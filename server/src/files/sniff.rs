//! What a file is, from its first bytes: the formats a registro may be, and nothing else. The
//! name and the type the browser claims are never trusted (a renamed script stays a script).

use app::model::registro::Formato;

/// How many first bytes are enough to tell every accepted format apart: office documents are
/// zip files named by the entries they hold near the start.
pub const HEAD_BYTES: usize = 64 * 1024;

/// Office 97 documents (Word, Excel, PowerPoint) are Compound File Binary containers.
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A matcher of infer's and the format it tells.
type Check = (fn(&[u8]) -> bool, Formato);

/// The accepted format `head` (a file's first [`HEAD_BYTES`], or all of it) starts like.
pub fn sniff(head: &[u8]) -> Option<Formato> {
    use infer::{archive, doc, image, odf};
    let checks: [Check; 10] = [
        (archive::is_pdf, Formato::Pdf),
        (image::is_jpeg, Formato::Jpeg),
        (image::is_png, Formato::Png),
        (image::is_webp, Formato::Webp),
        (doc::is_docx, Formato::Docx),
        (doc::is_xlsx, Formato::Xlsx),
        (doc::is_pptx, Formato::Pptx),
        (odf::is_odt, Formato::Odt),
        (odf::is_ods, Formato::Ods),
        (odf::is_odp, Formato::Odp),
    ];
    if head.starts_with(&CFB_MAGIC) {
        return Some(Formato::Office97);
    }
    checks.into_iter().find(|(is, _)| is(head)).map(|(_, formato)| formato).or_else(|| ooxml_by_entries(head))
}

/// infer tells OOXML documents apart by the order of their first zip entries, which not every
/// program writes as Word does; this looks for the entry naming the part instead.
fn ooxml_by_entries(head: &[u8]) -> Option<Formato> {
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if !head.starts_with(b"PK\x03\x04") || !has(b"[Content_Types].xml") {
        return None;
    }
    [(&b"word/document.xml"[..], Formato::Docx), (b"xl/workbook.xml", Formato::Xlsx), (b"ppt/presentation.xml", Formato::Pptx)]
        .into_iter()
        .find(|(part, _)| has(part))
        .map(|(_, formato)| formato)
}

#[cfg(test)]
pub mod samples {
    //! Small but real files of each kind, built here byte by byte for the tests.

    /// A zip holding `entries` (name, content), stored without compression, as office
    /// suites write their documents.
    pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, data) in entries {
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&0u32.to_le_bytes()); // crc, not checked by a sniffer
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
        }
        out
    }

    pub fn docx() -> Vec<u8> {
        zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("_rels/.rels", b"<Relationships/>"),
            ("word/document.xml", b"<w:document/>"),
            ("word/styles.xml", b"<w:styles/>"),
        ])
    }

    pub fn xlsx() -> Vec<u8> {
        zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("_rels/.rels", b"<Relationships/>"),
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/styles.xml", b"<styleSheet/>"),
        ])
    }

    pub fn odt() -> Vec<u8> {
        zip(&[("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<office:document-content/>")])
    }

    pub fn pdf() -> Vec<u8> {
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
    }

    pub fn png() -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
        png.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE]);
        png
    }
}

#[cfg(test)]
mod tests {
    use super::samples::*;
    use super::*;

    #[test]
    fn documents_and_images_are_told_by_their_bytes() {
        assert_eq!(sniff(&pdf()), Some(Formato::Pdf));
        assert_eq!(sniff(&png()), Some(Formato::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0]), Some(Formato::Jpeg));
        assert_eq!(sniff(b"RIFF\x24\x00\x00\x00WEBPVP8 "), Some(Formato::Webp));
        assert_eq!(sniff(&docx()), Some(Formato::Docx));
        assert_eq!(sniff(&xlsx()), Some(Formato::Xlsx));
        assert_eq!(sniff(&odt()), Some(Formato::Odt));
        let reordered = zip(&[
            ("_rels/.rels", b"<R/>"),
            ("ppt/slides/slide1.xml", b"<p/>"),
            ("ppt/presentation.xml", b"<p/>"),
            ("[Content_Types].xml", b"<T/>"),
        ]);
        assert_eq!(sniff(&reordered), Some(Formato::Pptx), "entries in another order");
        let mut doc = CFB_MAGIC.to_vec();
        doc.extend_from_slice(&[0; 504]);
        assert_eq!(sniff(&doc), Some(Formato::Office97));
    }

    #[test]
    fn anything_else_is_refused_whatever_it_is_called() {
        for bad in [
            &b"<html><script>alert(1)</script>"[..],
            b"#!/bin/sh\nrm -rf /",
            b"MZ\x90\x00\x03\x00\x00\x00",
            b"GIF89a\x01\x00\x01\x00",
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
            b"",
            b"%PD",
            b"PK\x03\x04",
            // A CSV is only ever the server's own (the balance kept as a registro).
            b"\xEF\xBB\xBFpuesto,barrio,indice\n1,Pescaito,33.3\n",
            b"=HYPERLINK(\"http://x\"),1\n",
        ] {
            assert_eq!(sniff(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
        assert_eq!(sniff(&zip(&[("evil.exe", b"MZ")])), None, "a plain zip is not an office document");
    }
}

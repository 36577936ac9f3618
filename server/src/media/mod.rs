//! Photos and voice notes on the server: the pure pieces of their chunked upload (where a
//! chunk goes, whether the whole is right), what a file is by its first bytes, thumbnails,
//! the byte ranges audio players ask for, and the last step that keeps a finished upload.

pub mod assembly;
pub mod finish;
pub mod guard;
pub mod range;
pub mod sniff;
pub mod thumb;

//! Photos and voice notes on the server: the pure pieces of their chunked upload (where a
//! chunk goes, whether the whole is right), what a file is by its first bytes, whether a photo
//! still holds camera data, thumbnails,
//! the byte ranges audio players ask for, the last step that keeps a finished upload, and
//! the rules of staff's decisions and of what the public may see.

pub mod assembly;
pub mod finish;
pub mod guard;
pub mod metadata;
pub mod publish;
pub mod range;
pub mod sniff;
pub mod thumb;
